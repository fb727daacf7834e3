package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobsProperties;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Ownership in time: this instance's heartbeat renews the leases of the jobs it runs (and stops
 * those no longer its own, or whose cancel was asked for while the notification got lost); the
 * reaper, which every instance runs, turns expired leases into {@code INSTANCE_LOST} failures or
 * re-runs, enforces {@code timeoutMs} and retention (idempotency keys' TTL included), and marks silent instances LOST. On a clean
 * stop the RERUN jobs are handed back instead of waiting for their leases to expire.
 *
 * <p>A failed pass is logged (a bug as an ERROR with its stack, see {@link RepeatedFailureLog}) and
 * the loop goes on: a loop that died would let every lease of this instance expire.
 */
final class JobLeases {

    private static final Logger log = LoggerFactory.getLogger(JobLeases.class);

    private final LeaseRows leases;
    private final InstanceRows instances;
    private final LocalInstance self;
    private final OwnedJobs owned;
    private final ClusterProperties settings;
    private final JobsProperties.Retention retention;
    private final RetryRows retries;
    private final Runnable retried;
    private final RepeatedFailureLog heartbeatFailures = new RepeatedFailureLog(log,
            "Heartbeat failed; leases of the jobs running here are not renewed");
    private final RepeatedFailureLog reaperFailures = new RepeatedFailureLog(log, "Reaper pass failed");
    private final LongAdder reaperPasses = new LongAdder();

    JobLeases(LeaseRows leases, InstanceRows instances, LocalInstance self, OwnedJobs owned,
            ClusterProperties settings, JobsProperties.Retention retention, RetryRows retries, Runnable retried) {
        this.leases = leases;
        this.instances = instances;
        this.self = self;
        this.owned = owned;
        this.settings = settings;
        this.retention = retention;
        this.retries = retries;
        this.retried = retried;
    }

    /** Heartbeats at once and then every third of the lease TTL; the reaper at its own period. */
    Disposable start(BooleanSupplier accepting) {
        Disposable heartbeats = Flux.interval(Duration.ZERO, settings.heartbeatPeriod())
            .onBackpressureDrop().concatMap(tick -> heartbeat(accepting.getAsBoolean()), 1).subscribe();
        Disposable reaper = Flux.interval(settings.reaperPeriod())
            .onBackpressureDrop().concatMap(tick -> reap(), 1).subscribe();
        return Disposables.composite(heartbeats, reaper);
    }

    /** Records this instance alive and renews its leases; stops the jobs it lost or was asked to cancel. */
    Mono<Void> heartbeat(boolean accepting) {
        List<JobId> mine = owned.ids();
        return instances.heartbeat(self, accepting ? "UP" : "DRAINING", mine.size())
            .thenMany(leases.renew(self.id(), mine, settings.leaseTtl().toMillis()))
            .collectMap(Map.Entry::getKey, Map.Entry::getValue)
            .doOnNext(renewed -> {
                for (JobId id : mine) {
                    Boolean cancelRequested = renewed.get(id);
                    // Not renewed: the job is no longer ours (timed out or reaped); stop the work here too.
                    if (cancelRequested == null || cancelRequested) {
                        owned.stop(id);
                    }
                }
            })
            .then()
            .onErrorResume(failure -> {
                heartbeatFailures.failed(failure);
                return Mono.empty();
            });
    }

    /** One pass of the reaper over every instance's jobs. */
    Mono<Void> reap() {
        // Lost jobs that keep attempts first: their policy decides, and the loss is one of their attempts.
        return retries.reapLost()
            .doOnNext(scheduled -> {
                for (long i = 0; i < scheduled; i++) {
                    retried.run();
                }
            })
            .then(leases.reapLost())
            .then(leases.reapTimedOut())
            .then(leases.retain(retention.maxAge().toMillis(), retention.maxCount()))
            .then(leases.expireIdempotencyKeys())
            .then(instances.reapInstances(settings.leaseTtl().toMillis()))
            .then()
            .doOnSuccess(done -> reaperPasses.increment())
            .onErrorResume(failure -> {
                reaperFailures.failed(failure);
                return Mono.empty();
            });
    }

    /** Reaper passes this instance completed: that the reaper runs is visible from outside. */
    long reaperPasses() {
        return reaperPasses.sum();
    }

    /**
     * Gives this instance's RERUN jobs back to PENDING for the others and stops them here. If the
     * database cannot take them, they re-run elsewhere once their leases expire.
     */
    Mono<Void> handBack() {
        return leases.handBack(self.id())
            .doOnNext(id -> {
                owned.release(id);
                owned.stop(id);
            })
            .count()
            .doOnNext(count -> log.info("Handed {} RERUN jobs back to the other instances", count))
            .then()
            .onErrorResume(failure -> {
                if (StoreUnavailableException.isStoreFailure(failure)) {
                    log.warn("Could not hand RERUN jobs back ({}); they re-run after the lease expires",
                            failure.toString());
                }
                else {
                    log.error("Handing RERUN jobs back failed; they re-run after the lease expires", failure);
                }
                return Mono.empty();
            });
    }

    /** Leaves the cluster cleanly, waiting at most {@code wait}: this instance's row says STOPPED rather than, later, LOST. */
    void leave(Duration wait) {
        try {
            instances.heartbeat(self, "STOPPED", 0).block(wait);
        }
        catch (RuntimeException failure) {
            log.warn("Could not record this instance as STOPPED: {}", failure.toString());
        }
    }
}
