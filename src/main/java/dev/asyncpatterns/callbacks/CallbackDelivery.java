package dev.asyncpatterns.callbacks;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.Counter;

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
        return Mono.defer(() -> context.client().post(callback.url(), body, headers(), context.properties().attemptTimeout()))
            .flatMap(result -> {
                context.attempts().increment();
                callback.tried(status(result));
                if (result.ok()) {
                    callback.delivered(context.clock().instant());
                    context.delivered().increment();
                    return Mono.empty();
                }
                if (number >= context.properties().maxAttempts()) {
                    callback.failed();
                    context.failed().increment();
                    return Mono.empty();
                }
                Duration retryAfter = result.error().retryAfterDelay().orElse(null);
                Duration wait = context.backoff().delay(number, retryAfter, ThreadLocalRandom.current().nextDouble());
                return Mono.delay(wait).then(attempt(number + 1));
            });
    }

    private Map<String, String> headers() {
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
