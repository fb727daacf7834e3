package dev.asyncpatterns.patterns;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Bounds of {@code /api/patterns} ({@code asyncpatterns.patterns.*}).
 *
 * @param maxRun longest a run may be expected to take from its parameters (400 beyond it),
 *     and the hard timeout of a run that overstays it anyway
 * @param maxConcurrentRuns runs at once; one more answers 429
 */
@Validated
@ConfigurationProperties("asyncpatterns.patterns")
public record PatternsProperties(
        @DefaultValue("30s") @DurationMin(millis = 100) @DurationMax(minutes = 10) Duration maxRun,
        @DefaultValue("16") @Min(1) @Max(1000) int maxConcurrentRuns) {
}
