package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import dev.asyncpatterns.callbacks.CallbackDeliveries;
import dev.asyncpatterns.callbacks.CallbackState;
import dev.asyncpatterns.callbacks.CallbackTry;
import dev.asyncpatterns.callbacks.CallbackView;
import dev.asyncpatterns.jobs.JobView;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.ObjectWriter;

/**
 * Completion callbacks with {@code store=postgres}: each instance claims due delivery rows
 * ({@link CallbackRows#claim}) and makes one try of each through {@link CallbackDeliveries#send}
 * (the outbound client, the signer, the backoff and the meters of the memory store), then records
 * the outcome in the row; a try that failed is due again after its backoff, on whichever instance
 * claims it then. Between tries nothing is held in memory, and no job slot is ever used.
 *
 * <p>Claims run one at a time on request: a {@code d} notification (a delivery started anywhere),
 * this instance's timer for the next try it scheduled, and a poll that catches the rest. At most
 * {@link #MAX_IN_FLIGHT} tries are under way here, taken {@link #BATCH} per claim. As a
 * {@link SmartLifecycle} stopping with the memory store's deliveries (after the job registry), it
 * gives the tries under way the grace period, then abandons the rest to the other instances.
 */
final class CallbackClaims implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CallbackClaims.class);
    /** Most deliveries one claim takes. */
    static final int BATCH = 16;
    /** Most tries under way on one instance; more due rows wait in the table for the next claim. */
    static final int MAX_IN_FLIGHT = 64;
    /** How often an instance looks for due deliveries when nothing woke it. */
    static final Duration POLL = JobClaims.CLAIM_POLL;
    /** The shortest wait the retry timer arms. */
    private static final long MIN_WAKE_MS = 10;

    private final CallbackRows rows;
    private final CallbackDeliveries deliveries;
    private final JobNotifications notifications;
    private final String self;
    private final long leaseMs;
    private final Duration grace;
    private final ObjectWriter writer;
    private final CoalescedPasses claims = new CoalescedPasses(this::claimBatch,
            new RepeatedFailureLog(log, "Claiming due callback deliveries failed"));
    private final RepeatedFailureLog recordFailures = new RepeatedFailureLog(log,
            "Could not record callback tries; they are tried again once their lease runs out");
    private final EarliestWakeUp wakeUp;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile Disposable.Composite underWay = Disposables.composite();
    private volatile Disposable loops = Disposables.disposed();
    private volatile Sinks.Empty<Void> drained = Sinks.empty();
    private volatile boolean running;

    /**
     * @param leaseMs how long a claimed row stays this instance's: longer than a try may take
     *                (the attempt timeout), so a live instance always records its try in time
     * @param grace how long tries under way may go on at shutdown
     */
    CallbackClaims(CallbackRows rows, CallbackDeliveries deliveries, JobNotifications notifications, String self,
            long leaseMs, Duration grace, ObjectWriter writer, LongSupplier millis) {
        this.rows = rows;
        this.deliveries = deliveries;
        this.notifications = notifications;
        this.self = self;
        this.leaseMs = leaseMs;
        this.grace = grace;
        this.writer = writer;
        this.wakeUp = new EarliestWakeUp(millis, MIN_WAKE_MS, this::claimSoon);
    }

    private void claimSoon() {
        claims.request();
    }

    /** One claim: as many due rows as there is room for under {@link #MAX_IN_FLIGHT}, each tried in the background. */
    Mono<Void> claimBatch() {
        return Mono.defer(() -> {
            int room = Math.min(BATCH, MAX_IN_FLIGHT - inFlight.get());
            if (!running || room <= 0) {
                return Mono.empty();
            }
            return rows.claim(self, room, leaseMs)
                .doOnNext(this::tryOnce)
                .count()
                .doOnNext(claimed -> {
                    // A full batch: more may be due, look again (a try ending also frees room and asks).
                    if (claimed == room) {
                        claimSoon();
                    }
                })
                .then();
        });
    }

    private void tryOnce(CallbackRows.Claimed claimed) {
        inFlight.incrementAndGet();
        Disposable.Swap attempt = Disposables.swap();
        underWay.add(attempt);
        attempt.update(Mono.fromCallable(() -> body(claimed))
            .flatMap(body -> deliveries.send(claimed.url(), claimed.webhookId(), body, claimed.attempt()))
            .flatMap(outcome -> rows.record(claimed, self, outcome)
                .doOnNext(recorded -> {
                    if (recorded > 0 && outcome.state() == CallbackState.PENDING) {
                        wakeUp.in(outcome.retryIn().toMillis());
                    }
                }))
            .doFinally(signal -> ended(attempt))
            .subscribe(null, recordFailures::failed));
    }

    /** The ended job's JSON, its callback as it stood when the delivery began: the same body on every try. */
    private byte[] body(CallbackRows.Claimed claimed) {
        JobView job = claimed.job().view().withCallback(CallbackView.pending(claimed.url()));
        return writer.writeValueAsBytes(job);
    }

    private void ended(Disposable attempt) {
        underWay.remove(attempt);
        if (inFlight.decrementAndGet() == 0 && !running) {
            drained.tryEmitEmpty();
        }
        else if (running) {
            claimSoon();
        }
    }

    @Override
    public void start() {
        underWay = Disposables.composite();
        drained = Sinks.empty();
        running = true;
        // The passes first: a request made before they listen would be lost, the poll's first tick included.
        Disposable passes = claims.start();
        Disposable started = notifications.payloads().filter("d"::equals).subscribe(payload -> claimSoon());
        // After a reconnect, notifications may have been missed: look now rather than at the next poll.
        Disposable resync = notifications.reconnects().subscribe(tick -> claimSoon());
        Disposable poll = Flux.interval(Duration.ZERO, POLL).subscribe(tick -> claimSoon());
        loops = Disposables.composite(passes, started, resync, poll, wakeUp);
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    /** Claims no more, waits (without blocking the closing thread) up to the grace period, then hands the rest over. */
    @Override
    public void stop(Runnable callback) {
        running = false;
        loops.dispose();
        int atStop = inFlight.get();
        if (atStop == 0) {
            drained.tryEmitEmpty();
        }
        drained.asMono()
            .timeout(grace, Mono.empty())
            .then(Mono.defer(() -> {
                int abandoned = inFlight.get();
                underWay.dispose();
                log.info("Callback tries stopped: {} under way at shutdown, {} abandoned to the other instances after "
                        + "the {} ms grace period", atStop, abandoned, grace.toMillis());
                return abandoned == 0 ? Mono.empty() : rows.release(self).then();
            }))
            .onErrorResume(failure -> {
                log.warn("Could not hand abandoned callback tries over ({}); they are tried again once their lease "
                        + "runs out", failure.toString());
                return Mono.empty();
            })
            .doFinally(signal -> callback.run())
            .subscribe();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return CallbackDeliveries.PHASE;
    }
}
