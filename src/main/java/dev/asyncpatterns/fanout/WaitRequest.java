package dev.asyncpatterns.fanout;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;

import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/fanout/wait}: the common fields and {@code returnWhen}.
 *
 * @param returnWhen {@code FIRST_COMPLETED}, {@code FIRST_EXCEPTION} or {@code ALL_COMPLETED} (default)
 */
record WaitRequest(
        @NotEmpty List<String> urls,
        @Min(1) @Nullable Integer concurrency,
        @Min(1) @Nullable Long perCallTimeoutMs,
        @Schema(description = "ends the wait without an error; pending calls are cancelled and listed")
        @Min(1) @Nullable Long timeoutMs,
        @Schema(allowableValues = {"FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"},
                defaultValue = "ALL_COMPLETED") @Nullable String returnWhen,
        @Nullable String rateLimiter,
        @Nullable String retry) implements FanoutRequest {
}
