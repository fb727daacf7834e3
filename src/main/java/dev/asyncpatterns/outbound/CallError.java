package dev.asyncpatterns.outbound;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import org.jspecify.annotations.Nullable;

/**
 * Why an outbound call failed: {@code error} in a result.
 *
 * @param type the one kind of failure
 * @param message what happened, for people
 * @param status the upstream's HTTP status, for {@link CallErrorType#HTTP_STATUS} only
 * @param retryAfter the upstream's {@code Retry-After} header as sent (seconds or an HTTP date), if any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CallError(CallErrorType type, String message, @Nullable Integer status, @Nullable String retryAfter) {

    /** A failure without an HTTP status. */
    public static CallError of(CallErrorType type, String message) {
        return new CallError(type, message, null, null);
    }

    /**
     * The upstream's {@code Retry-After} as a delay from now, when it sent a valid one: delay-seconds
     * as is, an HTTP date as the time left until it (never negative).
     */
    @JsonIgnore
    public Optional<Duration> retryAfterDelay() {
        if (retryAfter == null || retryAfter.isBlank()) {
            return Optional.empty();
        }
        String value = retryAfter.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        }
        catch (NumberFormatException notSeconds) {
            try {
                Duration left = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(left.isNegative() ? Duration.ZERO : left);
            }
            catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
