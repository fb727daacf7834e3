package dev.asyncpatterns.sim;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The simulated upstream ({@code asyncpatterns.sim.*}).
 *
 * @param enabled whether {@code /sim/**} is served at all
 * @param maxDelay the longest {@code /sim/delay/{ms}} accepted
 * @param maxBytes the largest {@code /sim/bytes/{n}} accepted; the default is four times the
 *                 outbound body cap's default, enough to show {@code TOO_LARGE}
 * @param flakySeeds how many seeds {@code /sim/flaky} remembers a call count for; the least
 *                   recently used is forgotten past it (and starts again from its first call)
 */
@Validated
@ConfigurationProperties("asyncpatterns.sim")
public record SimProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("60s") Duration maxDelay,
        @DefaultValue("4194304") @Min(0) @Max(256L * 1024 * 1024) int maxBytes,
        @DefaultValue("1024") @Min(1) @Max(1_000_000) int flakySeeds) {

    public SimProperties {
        if (maxDelay == null || maxDelay.isNegative()) {
            throw new IllegalArgumentException("asyncpatterns.sim.max-delay must not be negative");
        }
    }
}
