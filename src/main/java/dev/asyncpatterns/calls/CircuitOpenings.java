package dev.asyncpatterns.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * When each open circuit will let a trial call through, for {@code Retry-After}. The breaker keeps
 * that instant to itself, so it is noted from the transition to OPEN: the breaker's clock then,
 * plus its {@code waitIntervalFunctionInOpenState} for a first opening. Bounded by the number of
 * breakers watched.
 */
final class CircuitOpenings {

    private final Map<String, Instant> openUntil = new ConcurrentHashMap<>();

    /** Starts noting the openings of {@code breaker}. */
    void watch(CircuitBreaker breaker) {
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                long waitMs = breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
                openUntil.put(breaker.getName(),
                        breaker.getCircuitBreakerConfig().getClock().instant().plusMillis(waitMs));
            }
        });
    }

    /** Time left until the breaker half-opens; empty unless it is OPEN and was watched when it opened. */
    Optional<Duration> openFor(CircuitBreaker breaker) {
        Instant until = openUntil.get(breaker.getName());
        if (breaker.getState() != CircuitBreaker.State.OPEN || until == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(breaker.getCircuitBreakerConfig().getClock().instant(), until);
        return Optional.of(left.isNegative() ? Duration.ZERO : left);
    }
}
