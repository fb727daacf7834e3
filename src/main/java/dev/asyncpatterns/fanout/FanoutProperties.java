package dev.asyncpatterns.fanout;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Fan-out limits ({@code asyncpatterns.fanout.*}).
 *
 * @param maxUrls most URLs one request may list
 * @param maxConcurrency the largest {@code concurrency} a request may ask for; keep it at or below
 *                       {@code asyncpatterns.outbound.max-connections}
 * @param defaultTimeout the whole-operation timeout when a request names no {@code timeoutMs}
 * @param maxTimeout the largest {@code timeoutMs} a request may ask for
 */
@Validated
@ConfigurationProperties("asyncpatterns.fanout")
public record FanoutProperties(
        @DefaultValue("1000") @Min(1) @Max(100_000) int maxUrls,
        @DefaultValue("1000") @Min(1) @Max(100_000) int maxConcurrency,
        @DefaultValue("120s") Duration defaultTimeout,
        @DefaultValue("600s") Duration maxTimeout) {

    public FanoutProperties {
        if (defaultTimeout == null || defaultTimeout.isNegative() || defaultTimeout.isZero()
                || maxTimeout == null || defaultTimeout.compareTo(maxTimeout) > 0) {
            throw new IllegalArgumentException(
                    "asyncpatterns.fanout.default-timeout must be positive and at most max-timeout");
        }
    }
}
