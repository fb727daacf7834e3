package dev.asyncpatterns.fanout;

import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.asyncpatterns.outbound.AllowedUrl;
import dev.asyncpatterns.outbound.CallPolicy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A fan-out request after every check passed: what the pipelines run.
 *
 * @param urls the allowlisted URLs, in request order
 * @param concurrency most calls in flight, between 1 and the number of URLs
 * @param perCallTimeout bound on each call
 * @param timeout bound on the whole operation; null when something else bounds it (a job's timeout)
 * @param policy what is done around each call
 * @param permits reserves the plan's {@code concurrency} against the caller's quota (or throws, 429)
 *                and returns what gives them back
 */
record Plan(List<AllowedUrl> urls, int concurrency, Duration perCallTimeout, @Nullable Duration timeout,
        CallPolicy policy, Supplier<Runnable> permits) {

    /** For a plan whose calls were reserved elsewhere (a job's, at its admission). */
    static final Supplier<Runnable> RESERVED = () -> () -> { };

    int size() {
        return urls.size();
    }

    String url(int index) {
        return urls.get(index).url();
    }

    /**
     * The operation, failing with a 504 once the plan's timeout passes; the timeout cancels the
     * operation, and with it every call still in flight.
     */
    <T> Mono<T> bound(Mono<T> operation, IntSupplier completed) {
        if (timeout == null) {
            return operation;
        }
        return operation.timeout(timeout,
                Mono.error(() -> new FanoutTimeoutException(timeout, completed.getAsInt(), size())));
    }

    /**
     * The operation run under the plan's permits: reserved when it is subscribed, before any call
     * starts (a refusal is the operation's error and nothing is called), given back when it
     * completes, fails, times out or is cancelled. Eager cleanup: they are back before the
     * operation's outcome reaches the client, so the caller's next request finds them free.
     */
    <T> Mono<T> admitted(Mono<T> operation) {
        return Mono.using(permits::get, reserved -> operation, Runnable::run);
    }

    /** {@link #admitted(Mono)} for a stream: a client that disconnects gives the permits back too. */
    <T> Flux<T> admitted(Flux<T> operation) {
        return Flux.using(permits::get, reserved -> operation, Runnable::run);
    }
}
