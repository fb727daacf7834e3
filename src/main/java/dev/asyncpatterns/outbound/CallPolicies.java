package dev.asyncpatterns.outbound;

import org.jspecify.annotations.Nullable;

/**
 * Looks up the per-call policies a request names ({@code rateLimiter}, {@code retry}). Features
 * that make calls ask for a bean of this type and fall back to {@link #NONE} when there is none;
 * the resilience feature declares the bean backed by its Resilience4j instances.
 */
public interface CallPolicies {

    /** Knows no instance: any name is refused, no name means no policy. */
    CallPolicies NONE = (rateLimiter, retry) -> {
        if (rateLimiter != null) {
            throw new UnknownPolicyException("rateLimiter", rateLimiter);
        }
        if (retry != null) {
            throw new UnknownPolicyException("retry", retry);
        }
        return CallPolicy.NONE;
    };

    /**
     * The policy to apply to every call of one request.
     *
     * @param rateLimiter name of a rate limiter instance, or null for none
     * @param retry name of a retry instance, or null for none
     * @throws UnknownPolicyException for a name that is not configured (a 400 naming the field)
     */
    CallPolicy resolve(@Nullable String rateLimiter, @Nullable String retry);
}
