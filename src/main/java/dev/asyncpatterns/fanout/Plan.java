package dev.asyncpatterns.fanout;

import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;

import org.jspecify.annotations.Nullable;

import dev.asyncpatterns.outbound.AllowedUrl;
import dev.asyncpatterns.outbound.CallPolicy;
import reactor.core.publisher.Mono;

/**
 * A fan-out request after every check passed: what the pipelines run.
 *
 * @param urls the allowlisted URLs, in request order
 * @param concurrency most calls in flight, between 1 and the number of URLs
 * @param perCallTimeout bound on each call
 * @param timeout bound on the whole operation; null when something else bounds it (a job's timeout)
 * @param policy what is done around each call
 */
record Plan(List<AllowedUrl> urls, int concurrency, Duration perCallTimeout, @Nullable Duration timeout,
        CallPolicy policy) {

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
}
