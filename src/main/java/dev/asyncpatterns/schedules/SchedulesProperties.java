package dev.asyncpatterns.schedules;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Bounds of recurring schedules ({@code asyncpatterns.schedules.*}).
 *
 * @param maxPerCaller most schedules one caller owns; past it {@code POST /api/schedules} answers 429
 *                     naming the quota (anonymous callers share one allowance)
 * @param maxTotal most schedules of all callers together; past it 429
 * @param pollInterval with {@code asyncpatterns.store=postgres}: how often each instance looks for due
 *                     schedules; a due time starts up to this late
 */
@Validated
@ConfigurationProperties("asyncpatterns.schedules")
public record SchedulesProperties(
        @DefaultValue("100") @Min(1) @Max(100_000) int maxPerCaller,
        @DefaultValue("10000") @Min(1) @Max(1_000_000) int maxTotal,
        @DefaultValue("500ms") @DurationMin(millis = 50) @DurationMax(minutes = 1) Duration pollInterval) {
}
