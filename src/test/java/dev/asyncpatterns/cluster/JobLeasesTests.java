package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;

import dev.asyncpatterns.jobs.InstanceLossPolicy;
import dev.asyncpatterns.jobs.JobAttempt;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobState;
import dev.asyncpatterns.jobs.JobsProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leases against a real database: the heartbeat renews what runs here and stops what is no
 * longer ours or was asked to cancel; the reaper settles expired leases by each job's policy and
 * marks silent instances LOST; a clean stop hands RERUN jobs back without spending an attempt.
 */
class JobLeasesTests {

    private static final Duration BLOCK = Duration.ofSeconds(30);

    private final StoreDatabase db = StoreDatabase.create();
    private final Queue<JobId> stopped = new ConcurrentLinkedQueue<>();
    private final OwnedJobs owned = new OwnedJobs(stopped::add);
    private final JobLeases leases = leases("here");

    private JobLeases leases(String self) {
        return new JobLeases(db.leases(), db.instances(), new LocalInstance(self, Instant.now()), owned,
                new ClusterProperties(self, Duration.ofMinutes(1), InstanceLossPolicy.FAIL),
                new JobsProperties.Retention(1000, Duration.ofHours(1)), db.retries(), () -> { });
    }

    @Test
    void aHeartbeatRenewsTheLeasesOfJobsRunningHereAndStopsTheOnesLostOrCancelled() {
        JobId mine = running("here");
        JobId takenOver = running("here");
        JobId cancelAsked = running("here");
        db.execute("UPDATE jobs SET lease_expires_at = now() + interval '1 second'");
        db.execute("UPDATE jobs SET instance_id = 'there', attempt = 2 WHERE id = '" + takenOver + "'");
        db.execute("UPDATE jobs SET cancel_requested = true WHERE id = '" + cancelAsked + "'");

        leases.heartbeat(true).block(BLOCK);

        assertThat(stopped).containsExactlyInAnyOrder(takenOver, cancelAsked);
        assertThat(db.queryLong("SELECT count(*) FROM jobs WHERE id = '" + mine
                + "' AND lease_expires_at > now() + interval '30 seconds'")).isOne();
        assertThat(db.queryLong("SELECT count(*) FROM instances WHERE id = 'here' AND state = 'UP' AND running_jobs = 3"))
            .isOne();
    }

    @Test
    void aDrainingInstanceSaysSoInItsHeartbeat() {
        leases.heartbeat(false).block(BLOCK);

        assertThat(db.queryLong("SELECT count(*) FROM instances WHERE id = 'here' AND state = 'DRAINING'")).isOne();
    }

    @Test
    void theReaperSettlesExpiredLeasesByEachJobsPolicyAndLeavesLiveOnesAlone() {
        JobId fail = db.running("gone", InstanceLossPolicy.FAIL);
        JobId rerun = db.running("gone", InstanceLossPolicy.RERUN);
        JobId cancelAsked = db.running("gone", InstanceLossPolicy.RERUN);
        JobId live = db.running("alive", InstanceLossPolicy.FAIL);
        db.execute("UPDATE jobs SET cancel_requested = true WHERE id = '" + cancelAsked + "'");
        db.execute("UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE instance_id = 'gone'");

        leases.reap().block(BLOCK);

        JobRow failed = db.row(fail);
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.view().error().type()).isEqualTo("INSTANCE_LOST");
        JobRow again = db.row(rerun);
        assertThat(again.state()).isEqualTo(JobState.PENDING);
        assertThat(again.owner()).isNull();
        assertThat(db.row(cancelAsked).state()).isEqualTo(JobState.CANCELLED);
        assertThat(db.row(live).state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void aLostAttemptOfAJobThatRetriesIsAFailedAttemptUnderItsPolicyWhateverOnInstanceLossSays() {
        JobId retried = db.running("gone", InstanceLossPolicy.RERUN);
        JobId spent = db.running("gone", InstanceLossPolicy.RERUN);
        String policy = "'{\"maxAttempts\": 2, \"backoffMs\": 60000, \"maxBackoffMs\": 60000, \"jitter\": 0.0, "
                + "\"retryOn\": [\"FAILED\"]}'";
        db.execute("UPDATE jobs SET retry = " + policy + ", attempts = '[]', lease_expires_at = now() - interval '1 second'");
        db.execute("UPDATE jobs SET attempt = 2 WHERE id = '" + spent + "'");

        leases.reap().block(BLOCK);

        JobRow again = db.row(retried);
        assertThat(again.state()).isEqualTo(JobState.SCHEDULED);
        assertThat(again.owner()).isNull();
        assertThat(again.view().nextAttemptAt()).isAfter(Instant.now().plusSeconds(50));
        assertThat(again.view().attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.state()).isEqualTo(JobState.FAILED);
            assertThat(attempt.error().type()).isEqualTo("INSTANCE_LOST");
        });
        JobRow failed = db.row(spent);
        assertThat(failed.state()).as("no attempt left: RERUN does not override the policy").isEqualTo(JobState.FAILED);
        assertThat(failed.view().error().type()).isEqualTo("INSTANCE_LOST");
        assertThat(failed.view().attempts()).extracting(JobAttempt::attempt).containsExactly(2);
    }

    @Test
    void theReaperMarksAnInstanceThatStoppedBeatingLost() {
        leases("quiet").heartbeat(true).block(BLOCK);
        db.execute("UPDATE instances SET heartbeat_at = now() - interval '1 hour' WHERE id = 'quiet'");

        leases.reap().block(BLOCK);

        assertThat(db.queryLong("SELECT count(*) FROM instances WHERE id = 'quiet' AND state = 'LOST'")).isOne();
    }

    @Test
    void aCleanStopHandsRerunJobsBackWithoutSpendingAnAttemptAndStopsThemHere() {
        JobId rerun = running("here", InstanceLossPolicy.RERUN);
        JobId fail = running("here", InstanceLossPolicy.FAIL);

        leases.handBack().block(BLOCK);

        JobRow handedBack = db.row(rerun);
        assertThat(handedBack.state()).isEqualTo(JobState.PENDING);
        assertThat(handedBack.attempt()).isZero();
        assertThat(stopped).containsExactly(rerun);
        assertThat(owned.ids()).containsExactly(fail);
        assertThat(db.row(fail).state()).isEqualTo(JobState.RUNNING);
    }

    private JobId running(String owner) {
        return running(owner, InstanceLossPolicy.FAIL);
    }

    /** A job running on {@code owner} in attempt 1, owned by this test's instance. */
    private JobId running(String owner, InstanceLossPolicy onLoss) {
        JobId id = db.running(owner, onLoss);
        owned.own(id, 1);
        return id;
    }
}
