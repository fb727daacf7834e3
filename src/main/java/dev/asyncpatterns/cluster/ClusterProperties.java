package dev.asyncpatterns.cluster;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.asyncpatterns.jobs.InstanceLossPolicy;

/**
 * Where jobs live and how instances share them ({@code asyncpatterns.store},
 * {@code asyncpatterns.instance-id}, {@code asyncpatterns.jobs.lease-ttl-ms},
 * {@code asyncpatterns.jobs.on-instance-loss}). The database itself is {@code spring.r2dbc.*}.
 *
 * @param store {@code memory} (jobs in this process, the default) or {@code postgres} (jobs shared
 *              by every instance using the same database)
 * @param instanceId this instance's name in the cluster; host name and process id when absent
 * @param jobs the shared store's job settings
 */
@Validated
@ConfigurationProperties("asyncpatterns")
public record ClusterProperties(
        @DefaultValue("memory") Store store,
        @Size(max = 200) String instanceId,
        @DefaultValue @Valid Jobs jobs) {

    /** Where jobs live. */
    public enum Store {
        /** In this process's registry only. */
        MEMORY,
        /** In PostgreSQL, shared by every instance. */
        POSTGRES
    }

    /**
     * @param leaseTtlMs how long a running job stays owned by an instance that stops renewing its lease
     *                   (renewed every third of it); a lost instance's jobs are detected after this plus
     *                   one reaper period
     * @param onInstanceLoss default for jobs submitted without {@code onInstanceLoss}: FAIL (error
     *                       INSTANCE_LOST) or RERUN (back to PENDING, run again elsewhere)
     */
    public record Jobs(
            @DefaultValue("10000") @Min(300) @Max(3_600_000) long leaseTtlMs,
            @DefaultValue("FAIL") InstanceLossPolicy onInstanceLoss) {

        /** How often leases are renewed: three renewals fit in one TTL. */
        long heartbeatMs() {
            return Math.max(100, leaseTtlMs / 3);
        }

        /** How often expired leases, timeouts and retention are enforced: at most a second. */
        long reaperMs() {
            return Math.max(100, Math.min(1000, leaseTtlMs / 2));
        }
    }
}
