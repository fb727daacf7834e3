package dev.asyncpatterns.cluster;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/cluster}: the store, this instance's id and every instance known.
 *
 * @param store {@code memory} or {@code postgres}
 * @param self the id of the instance that answered
 * @param instances every instance that joined, oldest first
 */
public record ClusterStatus(String store, String self, List<Member> instances) {

    /**
     * One instance.
     *
     * @param id its {@code asyncpatterns.instance-id}
     * @param startedAt when it started
     * @param heartbeatAt its last lease renewal
     * @param state UP, DRAINING (shutting down), STOPPED (left cleanly) or LOST (stopped renewing)
     * @param runningJobs jobs it ran at its last heartbeat
     */
    public record Member(String id, Instant startedAt, Instant heartbeatAt, String state, int runningJobs) {
    }
}
