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

    /** Leaves the call as it is. */
    CallPolicy NONE = call -> call;
}
