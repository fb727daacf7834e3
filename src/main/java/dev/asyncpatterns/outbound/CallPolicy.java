package dev.asyncpatterns.outbound;

import java.util.function.UnaryOperator;

import reactor.core.publisher.Mono;

/**
 * What is done around each outbound call (a rate limiter's permit, retries with backoff), as a
 * transformation of the call's cold {@code Mono}. It may resubscribe to the call (each
 * subscription is a new call) and must keep its contract: emit exactly one {@link CallResult}.
 */
@FunctionalInterface
public interface CallPolicy extends UnaryOperator<Mono<CallResult>> {

    /**
     * Reactor tags on every call {@link OutboundClient#fetch(int, AllowedUrl, java.time.Duration)}
     * returns, read with {@code Scannable.from(call).tags()}: a policy that refuses a call without
     * making it (no rate-limiter permit) still reports the call's index and url.
     */
    String INDEX_TAG = "asyncpatterns.call.index";

    /** See {@link #INDEX_TAG}. */
    String URL_TAG = "asyncpatterns.call.url";

    /** Leaves the call as it is. */
    CallPolicy NONE = call -> call;
}
