package dev.asyncpatterns.jobs;

import dev.asyncpatterns.web.BadRequestException;

/**
 * An {@code Idempotency-Key} as one caller sent it: keys are scoped per caller, so two callers
 * choosing the same key never meet. The scope follows job ownership: anonymous callers share one
 * scope, as they share their jobs.
 *
 * @param caller the caller's name (API key name or JWT subject), the empty string when anonymous
 * @param value the header's value, 1 to 255 visible ASCII characters
 */
public record IdempotencyKey(String caller, String value) {

    /** The request header (IETF draft "The Idempotency-Key HTTP Header Field"). */
    public static final String HEADER = "Idempotency-Key";
    /** The longest key accepted: keys are stored, so they are bounded like every other input. */
    public static final int MAX_LENGTH = 255;

    /** The key a caller sent, or 400 naming the header when it is empty, too long or not visible ASCII. */
    static IdempotencyKey of(JobCaller caller, String header) {
        if (header.isEmpty() || header.length() > MAX_LENGTH) {
            throw new BadRequestException(HEADER, "must be 1 to " + MAX_LENGTH + " characters");
        }
        // Visible ASCII only: no spaces or control characters that a proxy could fold or strip.
        if (!header.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new BadRequestException(HEADER, "must be visible ASCII characters (no spaces or controls)");
        }
        return new IdempotencyKey(caller.name() != null ? caller.name() : "", header);
    }
}
