package dev.asyncpatterns.cluster;

import java.time.Duration;

import jakarta.validation.constraints.Size;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.asyncpatterns.jobs.InstanceLossPolicy;

/**
 * How instances share jobs ({@code asyncpatterns.cluster.*}), used with
 * {@code asyncpatterns.store=postgres}. The store itself is chosen by {@code asyncpatterns.store}
 * before the context starts (see {@link StoreEnvironment}); the database is {@code spring.r2dbc.*}.
 * The keys documented before this record existed ({@code asyncpatterns.instance-id},
 * {@code asyncpatterns.jobs.lease-ttl-ms}, {@code asyncpatterns.jobs.on-instance-loss}) still work:
 * {@link StoreEnvironment} reads them into these.
 *
 * @param instanceId this instance's name in the cluster; host name and process id when absent
 * @param leaseTtl how long a running job stays owned by an instance that stops renewing its lease
 *                 (renewed every third of it); a lost instance's jobs are detected after this plus
 *                 one reaper period
 * @param onInstanceLoss default for jobs submitted without {@code onInstanceLoss}: FAIL (error
 *                       INSTANCE_LOST) or RERUN (back to PENDING, run again elsewhere)
 */
@Validated
@ConfigurationProperties("asyncpatterns.cluster")
public record ClusterProperties(
        @Size(max = 200) String instanceId,
        @DefaultValue("10s") @DurationMin(millis = 300) @DurationMax(hours = 1) Duration leaseTtl,
        @DefaultValue("FAIL") InstanceLossPolicy onInstanceLoss) {

    /** How often leases are renewed: three renewals fit in one TTL. */
    Duration heartbeatPeriod() {
        return max(Duration.ofMillis(100), leaseTtl.dividedBy(3));
    }

    /** How often expired leases, timeouts and retention are enforced: at most a second. */
    Duration reaperPeriod() {
        return max(Duration.ofMillis(100), min(Duration.ofSeconds(1), leaseTtl.dividedBy(2)));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
