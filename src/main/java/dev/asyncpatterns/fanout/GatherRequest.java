package dev.asyncpatterns.fanout;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;

import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/fanout/gather}, and the {@code fetch} job's params.
 *
 * @param urls the URLs to GET, each checked against the allowlist before any call
 * @param concurrency most calls in flight at once; all at once when absent
 * @param perCallTimeoutMs bound on each call; {@code asyncpatterns.outbound.default-response-timeout} when absent
 * @param timeoutMs bound on the whole operation
 * @param returnExceptions true: failures are results; false (default): the first failure cancels the rest
 * @param rateLimiter name of a rate limiter instance applied to each call
 * @param retry name of a retry instance applied to each call
 */
public record GatherRequest(
        @Schema(description = "URLs to GET (1..asyncpatterns.fanout.max-urls)") @NotEmpty List<String> urls,
        @Schema(description = "most calls in flight; default all at once") @Min(1) @Nullable Integer concurrency,
        @Schema(description = "timeout of each call in ms") @Min(1) @Nullable Long perCallTimeoutMs,
        @Schema(description = "timeout of the whole operation in ms") @Min(1) @Nullable Long timeoutMs,
        @Schema(description = "false (default): the first failure cancels the rest and answers 502; "
                + "true: failures are returned as results") @Nullable Boolean returnExceptions,
        @Schema(description = "Resilience4j rate limiter applied to each call") @Nullable String rateLimiter,
        @Schema(description = "Resilience4j retry applied to each call") @Nullable String retry) implements FanoutRequest {

    /** A gather of these URLs with every option at its default. */
    public static GatherRequest of(List<String> urls) {
        return new GatherRequest(urls, null, null, null, null, null, null);
    }

    boolean failFast() {
        return !Boolean.TRUE.equals(returnExceptions);
    }
}
