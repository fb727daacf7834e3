package dev.asyncpatterns.callbacks;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Completion callbacks ({@code asyncpatterns.callbacks.*}).
 *
 * @param signingSecret {@code whsec_} + base64 of the HMAC key; unset: one is generated at start and
 *                      logged once (instances behind one receiver need the same secret)
 * @param maxAttempts most tries of one delivery, the first included
 * @param attemptTimeout how long one try waits for an answer before it counts as failed
 * @param firstBackoff the wait before the second try; it doubles per try, with jitter
 * @param maxBackoff the longest wait between tries, an upstream {@code Retry-After} included
 * @param maxPending most deliveries under way at once; past it a delivery is dropped (FAILED), counted and logged.
 *                   The memory store's bound: with {@code store=postgres} due deliveries wait as rows
 * @param shutdownGrace how long pending deliveries may go on at shutdown before they are abandoned
 */
@Validated
@ConfigurationProperties("asyncpatterns.callbacks")
public record CallbacksProperties(
        String signingSecret,
        @DefaultValue("8") @Min(1) @Max(50) int maxAttempts,
        @DefaultValue("10s") @DurationMin(millis = 1) @DurationMax(minutes = 2) Duration attemptTimeout,
        @DefaultValue("1s") @DurationMin(millis = 1) @DurationMax(hours = 1) Duration firstBackoff,
        @DefaultValue("10m") @DurationMin(millis = 1) @DurationMax(hours = 24) Duration maxBackoff,
        @DefaultValue("10000") @Min(1) @Max(1_000_000) int maxPending,
        @DefaultValue("10s") @DurationMin(millis = 0) @DurationMax(minutes = 10) Duration shutdownGrace) {
}
