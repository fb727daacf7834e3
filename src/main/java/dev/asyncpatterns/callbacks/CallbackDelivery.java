package dev.asyncpatterns.callbacks;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.Counter;

import dev.asyncpatterns.outbound.AllowedUrl;
import dev.asyncpatterns.outbound.CallError;
import dev.asyncpatterns.outbound.CallResult;
import dev.asyncpatterns.outbound.OutboundClient;
import reactor.core.publisher.Mono;

/**
 * One delivery: tries to POST the signed body until a 2xx answer or {@code max-attempts} tries,
 * waiting per {@link Backoff} between them. Each try carries the same {@code webhook-id} and a
 * fresh timestamp and signature. Waits are {@code Mono.delay}s, so nothing holds a thread.
 */
final class CallbackDelivery {

    static final String ID = "webhook-id";
    static final String TIMESTAMP = "webhook-timestamp";
    static final String SIGNATURE = "webhook-signature";

    private final Callback callback;
    private final String webhookId;
    private final byte[] body;
    private final Context context;

    CallbackDelivery(Callback callback, String webhookId, byte[] body, Context context) {
        this.callback = callback;
        this.webhookId = webhookId;
        this.body = body;
        this.context = context;
    }

    /** The tries, cold; completes when the callback is DELIVERED or FAILED. Cancelling stops them. */
    Mono<Void> run() {
        return attempt(1);
    }

    private Mono<Void> attempt(int number) {
        return send(context, callback.url(), webhookId, body, number).flatMap(outcome -> {
            callback.tried(outcome.status());
            return switch (outcome.state()) {
                case DELIVERED -> Mono.fromRunnable(() -> callback.delivered(outcome.deliveredAt()));
                case FAILED -> Mono.fromRunnable(callback::failed);
                case PENDING -> Mono.delay(outcome.retryIn()).then(attempt(number + 1));
            };
        });
    }

    /**
     * Try {@code number} of a delivery, cold: POSTs the body signed afresh and says what follows,
     * counting the try and, if the delivery ends with it, its end. The memory store's deliveries
     * and the PostgreSQL store's rows schedule their tries by it alike.
     */
    static Mono<CallbackTry> send(Context context, AllowedUrl url, String webhookId, byte[] body, int number) {
        return Mono.defer(() -> context.client().post(url, body, headers(context, webhookId, body),
                context.properties().attemptTimeout()))
            .map(result -> {
                context.attempts().increment();
                Integer status = status(result);
                if (result.ok()) {
                    context.delivered().increment();
                    return new CallbackTry(CallbackState.DELIVERED, status, context.clock().instant(), null);
                }
                if (number >= context.properties().maxAttempts()) {
                    context.failed().increment();
                    return new CallbackTry(CallbackState.FAILED, status, null, null);
                }
                Duration retryAfter = result.error().retryAfterDelay().orElse(null);
                Duration wait = context.backoff().delay(number, retryAfter, ThreadLocalRandom.current().nextDouble());
                return new CallbackTry(CallbackState.PENDING, status, null, wait);
            });
    }

    private static Map<String, String> headers(Context context, String webhookId, byte[] body) {
        long timestamp = context.clock().millis() / 1000;
        return Map.of(ID, webhookId, TIMESTAMP, Long.toString(timestamp),
                SIGNATURE, context.signer().sign(webhookId, timestamp, body));
    }

    private static Integer status(CallResult result) {
        if (result.ok()) {
            return result.status();
        }
        CallError error = result.error();
        return error.status();
    }

    /** What every delivery shares: how to send and sign, the schedule, and the meters. */
    record Context(OutboundClient client, CallbackSigner signer, CallbacksProperties properties, Backoff backoff,
            Clock clock, Counter attempts, Counter delivered, Counter failed) {
    }
}
