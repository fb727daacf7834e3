package dev.asyncpatterns.calls;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * The memory store's global rate limiters: Bucket4j buckets in this process (lock-free, so safe
 * on the event loop). With one instance, local is global.
 */
@Component
@ConditionalOnProperty(name = "asyncpatterns.store", havingValue = "memory", matchIfMissing = true)
class LocalGlobalRateLimiters implements GlobalRateLimiters {

    private final Map<String, Bucket> buckets;

    LocalGlobalRateLimiters(CallsProperties properties) {
        this.buckets = properties.globalRateLimiters().entrySet().stream().collect(Collectors.toUnmodifiableMap(
                Map.Entry::getKey, entry -> Bucket.builder().addLimit(entry.getValue().bandwidth()).build()));
    }

    @Override
    public String backend() {
        return "local";
    }

    @Override
    public Mono<Duration> tryAcquire(String name) {
        return Mono.fromSupplier(() -> {
            ConsumptionProbe probe = buckets.get(name).tryConsumeAndReturnRemaining(1);
            return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
        });
    }

    @Override
    public Mono<Long> availableTokens(String name) {
        return Mono.fromSupplier(() -> buckets.get(name).getAvailableTokens());
    }
}
