package dev.asyncpatterns.fanout;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

import dev.asyncpatterns.outbound.CallErrorType;
import dev.asyncpatterns.outbound.CallResult;
import dev.asyncpatterns.outbound.OutboundClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The calls of a plan as one stream, in completion order, with at most {@code concurrency} in
 * flight (a new call starts as one finishes; see {@link CompletionOrder}). Cancelling
 * the stream cancels every call in flight, which closes its connection, and starts no more.
 * Counts every call in {@code asyncpatterns.fanout.calls{outcome}} and times it in
 * {@code asyncpatterns.fanout.call.latency{outcome}}.
 */
@Component
class FanoutCalls {

    static final String OK = "OK";

    private final OutboundClient client;
    private final Map<CallErrorType, Meters> failed = new EnumMap<>(CallErrorType.class);
    private final Meters succeeded;

    FanoutCalls(OutboundClient client, MeterRegistry registry) {
        this.client = client;
        this.succeeded = new Meters(registry, OK);
        for (CallErrorType type : CallErrorType.values()) {
            failed.put(type, new Meters(registry, type.name()));
        }
    }

    Flux<CallResult> run(Plan plan) {
        return CompletionOrder.merge(plan.size(), plan.concurrency(), index -> call(plan, index));
    }

    private Mono<CallResult> call(Plan plan, int index) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            AtomicBoolean counted = new AtomicBoolean();
            return plan.policy().apply(client.fetch(index, plan.urls().get(index), plan.perCallTimeout()))
                .doOnNext(result -> {
                    if (counted.compareAndSet(false, true)) {
                        meters(result).record(System.nanoTime() - started);
                    }
                })
                .doOnCancel(() -> {
                    if (counted.compareAndSet(false, true)) {
                        failed.get(CallErrorType.CANCELLED).record(System.nanoTime() - started);
                    }
                });
        });
    }

    private Meters meters(CallResult result) {
        return result.ok() ? succeeded : failed.get(result.error().type());
    }

    /** The two meters of one outcome, looked up once rather than per call. */
    private static final class Meters {

        private final Counter calls;
        private final Timer latency;

        Meters(MeterRegistry registry, String outcome) {
            this.calls = Counter.builder("asyncpatterns.fanout.calls")
                .description("Outbound calls made by fan-out operations, by outcome")
                .tag("outcome", outcome)
                .register(registry);
            this.latency = Timer.builder("asyncpatterns.fanout.call.latency")
                .description("Time from the start of a fan-out call to its outcome")
                .tag("outcome", outcome)
                .register(registry);
        }

        void record(long nanos) {
            calls.increment();
            latency.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
