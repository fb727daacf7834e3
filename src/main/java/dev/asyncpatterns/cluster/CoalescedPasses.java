package dev.asyncpatterns.cluster;

import java.util.function.Supplier;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A pass over the table (a claim, a promotion) run on request, one at a time: requests arriving
 * while a pass runs coalesce into one more pass, so a burst of signals costs at most two queries.
 * A failed pass is logged (without flooding) and the next request runs one again.
 */
final class CoalescedPasses {

    /** Requests; one dropped while nobody listens (before start) is caught up by the caller's poll. */
    private final Sinks.Many<Boolean> requests = Sinks.many().multicast().directBestEffort();
    private final Supplier<Mono<Void>> pass;
    private final RepeatedFailureLog failures;

    CoalescedPasses(Supplier<Mono<Void>> pass, RepeatedFailureLog failures) {
        this.pass = pass;
        this.failures = failures;
    }

    void request() {
        requests.tryEmitNext(Boolean.TRUE);
    }

    Disposable start() {
        return requests.asFlux().onBackpressureLatest()
            .concatMap(request -> pass.get().onErrorResume(failure -> {
                failures.failed(failure);
                return Mono.empty();
            }), 1)
            .subscribe();
    }
}
