package dev.asyncpatterns.callbacks;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.asyncpatterns.outbound.AllowedUrl;
import dev.asyncpatterns.outbound.DisallowedUrlException;
import dev.asyncpatterns.outbound.OutboundClient;
import dev.asyncpatterns.outbound.UrlAllowlist;
import dev.asyncpatterns.web.BadRequestException;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Accepts callback URLs at submit and runs the deliveries of ended jobs: at most
 * {@code max-pending} at once (past it a delivery is dropped: FAILED, counted in
 * {@code asyncpatterns.callbacks.dropped} and logged), none in a job slot. As a
 * {@link SmartLifecycle} in a phase that stops after the job registry (whose last cancelled jobs
 * still get their callback), it gives pending deliveries the grace period and abandons the rest.
 */
@Component
public class CallbackDeliveries implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CallbackDeliveries.class);
    /** After the job registry (the default phase) has stopped, before the web server's graceful shutdown. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private final UrlAllowlist allowlist;
    private final CallbacksProperties properties;
    private final CallbackDelivery.Context context;
    private final Counter dropped;
    private final AtomicInteger pending = new AtomicInteger();
    /** The deliveries under way, to abandon at the end of shutdown; a fresh one per start. */
    private volatile Disposable.Composite underWay = Disposables.composite();
    private volatile Sinks.Empty<Void> drained = Sinks.empty();
    private volatile boolean running;

    public CallbackDeliveries(CallbacksProperties properties, UrlAllowlist allowlist, OutboundClient client, MeterRegistry meters) {
        this.allowlist = allowlist;
        this.properties = properties;
        CallbackSigner signer = CallbackSigner.of(properties.signingSecret());
        // The first signature initialises JCA's provider tables; do it now, not on a scheduler thread.
        signer.sign("warm-up", 0, new byte[0]);
        this.context = new CallbackDelivery.Context(client, signer, properties,
                new Backoff(properties.firstBackoff(), properties.maxBackoff()), Clock.systemUTC(),
                counter(meters, "attempts", "Callback tries made, each POST once"),
                counter(meters, "delivered", "Callback deliveries answered 2xx"),
                counter(meters, "failed", "Callback deliveries given up after max-attempts tries, or dropped"));
        this.dropped = counter(meters, "dropped", "Callback deliveries dropped because max-pending were under way");
    }

    private static Counter counter(MeterRegistry meters, String name, String description) {
        return Counter.builder("asyncpatterns.callbacks." + name).description(description).register(meters);
    }

    /**
     * The callback of a job being submitted, its URL checked against the outbound allowlist now,
     * so a refused URL fails the submit (400 naming {@code callback.url}) rather than the delivery.
     */
    public Callback accept(String jobId, CallbackRequest request) {
        return new Callback(jobId, allowed(request));
    }

    /**
     * The callback of a job being submitted to a shared store, which keeps its delivery in a row:
     * checked as {@link #accept} does, and shown PENDING until the job ended.
     */
    public CallbackView acceptStored(CallbackRequest request) {
        return CallbackView.pending(allowed(request).url());
    }

    private AllowedUrl allowed(CallbackRequest request) {
        try {
            return allowlist.check(0, request.url());
        }
        catch (DisallowedUrlException ex) {
            throw new BadRequestException("callback.url", ex.reason());
        }
    }

    /**
     * Try {@code number} of a delivery a shared store keeps in its rows, which schedule the tries
     * themselves: the URL checked against the allowlist again (it may have changed since the
     * submit, or differ on this instance), then POSTed signed. A try past {@code max-attempts} (the
     * last one was cut short by the loss of its instance) or to a URL no longer allowed sends
     * nothing and ends the delivery FAILED.
     */
    public Mono<CallbackTry> send(String url, String webhookId, byte[] body, int number) {
        if (number > properties.maxAttempts()) {
            context.failed().increment();
            return Mono.just(new CallbackTry(CallbackState.FAILED, null, null, null));
        }
        AllowedUrl target;
        try {
            target = allowlist.check(0, url);
        }
        catch (DisallowedUrlException ex) {
            log.warn("Callback {} not sent: {}", webhookId, ex.reason());
            context.failed().increment();
            return Mono.just(new CallbackTry(CallbackState.FAILED, null, null, null));
        }
        return CallbackDelivery.send(context, target, webhookId, body, number);
    }

    /**
     * Delivers {@code body} (the ended job's JSON) to the callback, in the background. Does
     * nothing while a delivery of this callback is still under way.
     */
    public void deliver(Callback callback, byte[] body) {
        String webhookId = callback.begin();
        if (webhookId == null) {
            return;
        }
        if (!running || pending.incrementAndGet() > properties.maxPending()) {
            if (running) {
                pending.decrementAndGet();
            }
            callback.failed();
            context.failed().increment();
            dropped.increment();
            log.warn("Callback {} dropped: {}", webhookId, running ? properties.maxPending()
                    + " deliveries (asyncpatterns.callbacks.max-pending) are under way" : "shutting down");
            return;
        }
        Disposable.Swap delivery = Disposables.swap();
        underWay.add(delivery);
        delivery.update(new CallbackDelivery(callback, webhookId, body, context).run()
            .doFinally(signal -> finished(delivery))
            .subscribe(null, failure -> log.error("Callback {} failed unexpectedly", webhookId, failure)));
    }

    private void finished(Disposable delivery) {
        underWay.remove(delivery);
        if (pending.decrementAndGet() == 0 && !running) {
            drained.tryEmitEmpty();
        }
    }

    /** Deliveries under way, waiting for their next try included. */
    public int pendingCount() {
        return pending.get();
    }

    @Override
    public void start() {
        underWay = Disposables.composite();
        drained = Sinks.empty();
        running = true;
    }

    /** The synchronous variant, for callers outside the lifecycle processor: the same wait, on the calling thread. */
    @Override
    public void stop() {
        CountDownLatch stopped = new CountDownLatch(1);
        stop(stopped::countDown);
        try {
            // The grace plus a moment for abandoning what is left; the asynchronous stop always calls back.
            stopped.await(properties.shutdownGrace().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (without blocking the closing thread) up to the grace period, then abandons what is left. */
    @Override
    public void stop(Runnable callback) {
        running = false;
        int atStop = pending.get();
        if (atStop == 0) {
            drained.tryEmitEmpty();
        }
        drained.asMono()
            .timeout(properties.shutdownGrace(), Mono.empty())
            .doFinally(signal -> {
                int abandoned = pending.get();
                underWay.dispose();
                log.info("Callback deliveries stopped: {} pending at shutdown, {} finished within the {} ms grace "
                        + "period, {} abandoned", atStop, Math.max(0, atStop - abandoned),
                        properties.shutdownGrace().toMillis(), abandoned);
                callback.run();
            })
            .subscribe();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
