package dev.asyncpatterns.fanout;

import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.asyncpatterns.outbound.AllowedUrl;
import dev.asyncpatterns.outbound.CallPolicies;
import dev.asyncpatterns.outbound.CallPolicy;
import dev.asyncpatterns.outbound.DisallowedUrlException;
import dev.asyncpatterns.outbound.OutboundClient;
import dev.asyncpatterns.outbound.UrlAllowlist;
import dev.asyncpatterns.web.BadRequestException;

/**
 * Turns a request into a {@link Plan}, or refuses it with a 400 naming the field, before any call
 * is made: limits first, then the named policies, then every URL against the allowlist. So a
 * list with one refused URL sends no request at all.
 */
@Component
class FanoutPlanner {

    private final FanoutProperties properties;
    private final UrlAllowlist allowlist;
    private final OutboundClient client;
    private final CallPolicies policies;
    private final FanoutAdmission admission;

    FanoutPlanner(FanoutProperties properties, UrlAllowlist allowlist, OutboundClient client,
            ObjectProvider<CallPolicies> policies, ObjectProvider<FanoutAdmission> admission) {
        this.properties = properties;
        this.allowlist = allowlist;
        this.client = client;
        this.policies = policies.getIfAvailable(() -> CallPolicies.NONE);
        this.admission = admission.getIfAvailable(() -> FanoutAdmission.UNLIMITED);
    }

    /**
     * Plans a request answered over HTTP: the operation is bounded by {@code timeoutMs} or the
     * default, and its calls are admitted against the caller's quota when it starts.
     */
    Plan plan(FanoutRequest request, FanoutCaller caller) {
        Duration timeout = request.timeoutMs() == null ? properties.defaultTimeout()
                : Duration.ofMillis(checkRange("timeoutMs", request.timeoutMs(), properties.maxTimeout().toMillis()));
        return plan(request, timeout, calls -> () -> admission.admit(caller, calls));
    }

    /** Plans a request whose operation something else bounds and admits (a job's own timeout and quotas). */
    Plan planUnbounded(FanoutRequest request) {
        return plan(request, null, calls -> Plan.RESERVED);
    }

    private Plan plan(FanoutRequest request, @Nullable Duration timeout,
            IntFunction<Supplier<Runnable>> permits) {
        List<String> urls = request.urls();
        if (urls == null || urls.isEmpty()) {
            throw new BadRequestException("urls", "must not be empty");
        }
        if (urls.size() > properties.maxUrls()) {
            throw new BadRequestException("urls", "must list at most " + properties.maxUrls() + " URLs");
        }
        int concurrency = request.concurrency() == null ? urls.size()
                : Math.min(urls.size(), (int) checkRange("concurrency", request.concurrency(), properties.maxConcurrency()));
        Duration perCallTimeout = request.perCallTimeoutMs() == null ? client.defaultTimeout()
                : Duration.ofMillis(checkRange("perCallTimeoutMs", request.perCallTimeoutMs(), client.maxTimeout().toMillis()));
        CallPolicy policy = policies.resolve(request.rateLimiter(), request.retry());
        List<AllowedUrl> allowed;
        try {
            allowed = allowlist.checkAll(urls);
        }
        catch (DisallowedUrlException ex) {
            throw new BadRequestException("urls[" + ex.index() + "]", ex.reason());
        }
        return new Plan(allowed, concurrency, perCallTimeout, timeout, policy, permits.apply(concurrency));
    }

    private static long checkRange(String field, long value, long max) {
        if (value < 1 || value > max) {
            throw new BadRequestException(field, "must be between 1 and " + max);
        }
        return value;
    }
}
