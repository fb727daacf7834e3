package dev.asyncpatterns.fanout;

import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;

import org.jspecify.annotations.Nullable;

/** {@code POST /api/fanout/first} and {@code /stream}: the common fields only. */
record CallsRequest(
        @NotEmpty List<String> urls,
        @Min(1) @Nullable Integer concurrency,
        @Min(1) @Nullable Long perCallTimeoutMs,
        @Min(1) @Nullable Long timeoutMs,
        @Nullable String rateLimiter,
        @Nullable String retry) implements FanoutRequest {
}
