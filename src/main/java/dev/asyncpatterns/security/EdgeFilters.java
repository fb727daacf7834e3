package dev.asyncpatterns.security;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.security.web.server.header.HttpHeaderWriterWebFilter;
import org.springframework.web.server.WebFilter;

/**
 * The filters every request crosses, whichever security chain serves it: the audit line, the
 * security headers and, when enabled, the per-caller rate limit. One instance of each, shared by
 * the chains, so a caller has one bucket however its calls are routed.
 */
record EdgeFilters(AuditLog audit, HttpHeaderWriterWebFilter headers, @Nullable CallerRateLimiter rateLimiter) {

    EdgeFilters(@Nullable CallerRateLimiter rateLimiter) {
        this(new AuditLog(), new HttpHeaderWriterWebFilter(new SecurityHeaders()), rateLimiter);
    }

    /** In the order the full chain runs them: the audit line first, the rate limit after authentication. */
    List<WebFilter> inOrder() {
        List<WebFilter> filters = new ArrayList<>(List.of(audit, headers));
        if (rateLimiter != null) {
            filters.add(rateLimiter);
        }
        return filters;
    }
}
