package dev.asyncpatterns.fanout;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** The fields every fan-out request shares (API section 2, "common request fields"). */
interface FanoutRequest {

    List<String> urls();

    @Nullable Integer concurrency();

    @Nullable Long perCallTimeoutMs();

    @Nullable Long timeoutMs();

    @Nullable String rateLimiter();

    @Nullable String retry();
}
