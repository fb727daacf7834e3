package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Which jobs this instance takes: the slots it has free (compare-and-set reservations, so a
 * submit's fast path and a claim never both take the last one), and the claim of PENDING rows
 * with {@code FOR UPDATE SKIP LOCKED} whenever a notification, a job ending here or the one-second
 * poll says work may be waiting. One claim query at a time; requests meanwhile coalesce.
 */
final class JobClaims {

    private static final Logger log = LoggerFactory.getLogger(JobClaims.class);
    /**
     * Most jobs one claim query takes; their slots stay reserved while it runs, so a small batch
     * leaves the others free for submits arriving meanwhile (the local fast path).
     */
    static final int CLAIM_BATCH = 16;
    /** How often an instance looks for PENDING jobs when no notification said so. */
    static final Duration CLAIM_POLL = Duration.ofSeconds(1);

    private final JobRows rows;
    private final String self;
    private final long leaseTtlMs;
    private final IntSupplier freeSlots;
    private final Function<JobRow, Mono<Void>> start;
    private final CoalescedPasses claims = new CoalescedPasses(this::claimBatch,
            new RepeatedFailureLog(log, "Claiming PENDING jobs failed"));

    /** Slots taken by submits and claims whose jobs are not started in the registry yet. */
    private final AtomicInteger reserved = new AtomicInteger();
    /** Counts the signs that jobs may be waiting: {@code q} notifications and LISTEN reconnects. */
    private final AtomicLong queueSignals = new AtomicLong();
    /**
     * The count of signs seen when a claim last found fewer waiting jobs than it had slots for:
     * while no sign came after it, a job ending here need not look for waiting ones (the poll
     * still does, once a second).
     */
    private volatile long drainedAt = -1;
    private volatile boolean claiming;

    /**
     * @param freeSlots the registry's free capacity (max-active minus active jobs)
     * @param start starts a claimed row here; its failure hands the row back to PENDING
     */
    JobClaims(JobRows rows, String self, long leaseTtlMs, IntSupplier freeSlots, Function<JobRow, Mono<Void>> start) {
        this.rows = rows;
        this.self = self;
        this.leaseTtlMs = leaseTtlMs;
        this.freeSlots = freeSlots;
        this.start = start;
    }

    /** Takes one free slot for a job submitted here, to be {@linkplain #releaseSlot() released} once it started (or did not). */
    boolean reserveSlot() {
        while (true) {
            int taken = reserved.get();
            if (!claiming || freeSlots.getAsInt() - taken <= 0) {
                return false;
            }
            if (reserved.compareAndSet(taken, taken + 1)) {
                return true;
            }
        }
    }

    /** The reserved job is in the registry now (its slot counts there), or it never will be. */
    void releaseSlot() {
        reserved.decrementAndGet();
    }

    boolean isClaiming() {
        return claiming;
    }

    /** A sign that jobs wait: a {@code q} notification, or a LISTEN (re)connect that may have missed some. */
    void queueSignalled() {
        queueSignals.incrementAndGet();
        claimSoon();
    }

    /** A job running here ended: its slot is free, and worth a claim unless the queue was seen empty since. */
    void jobEnded() {
        if (queueSignals.get() > drainedAt) {
            claimSoon();
        }
    }

    /** Starts claiming: on request (coalesced, one claim query at a time) and on the poll. */
    Disposable start() {
        claiming = true;
        Disposable poll = Flux.interval(CLAIM_POLL).subscribe(tick -> claimSoon());
        return Disposables.composite(claims.start(), poll);
    }

    /** No more claims or fast-path submits: the instance is draining. */
    void stop() {
        claiming = false;
    }

    private void claimSoon() {
        claims.request();
    }

    Mono<Void> claimBatch() {
        return Mono.defer(() -> {
            int free = 0;
            while (claiming) {
                int taken = reserved.get();
                free = Math.min(CLAIM_BATCH, freeSlots.getAsInt() - taken);
                if (free <= 0 || reserved.compareAndSet(taken, taken + free)) {
                    break;
                }
            }
            if (!claiming || free <= 0) {
                return Mono.empty();
            }
            int slots = free;
            long signals = queueSignals.get();
            AtomicInteger used = new AtomicInteger();
            AtomicInteger started = new AtomicInteger();
            return rows.claim(self, slots, leaseTtlMs)
                .concatMap(row -> {
                    used.incrementAndGet();
                    return startClaimed(row, started);
                })
                .doFinally(signal -> {
                    reserved.addAndGet(-(slots - used.get()));
                    // A full batch started: more may be waiting, look again. Not when jobs were handed
                    // back: they would be claimed again at once, and refused again; the poll retries them.
                    if (started.get() == slots) {
                        claimSoon();
                    }
                    else if (signal == SignalType.ON_COMPLETE) {
                        drainedAt = Math.max(drainedAt, signals);
                    }
                })
                .then();
        });
    }

    private Mono<Void> startClaimed(JobRow row, AtomicInteger started) {
        return Mono.defer(() -> start.apply(row))
            .doOnSuccess(done -> started.incrementAndGet())
            .doFinally(signal -> releaseSlot())
            .onErrorResume(refused -> {
                log.info("Claimed job {} could not start here ({}); handing it back", row.view().id(), refused.toString());
                return rows.release(row.view().id(), self).then();
            });
    }
}
