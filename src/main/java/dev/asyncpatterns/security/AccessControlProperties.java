package dev.asyncpatterns.security;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Access control and per-caller limits ({@code asyncpatterns.security.*}). With no API key and no
 * JWT issuer configured, anonymous callers are served, but only on a loopback address unless
 * {@code allowAnonymous} says the operator means it.
 *
 * @param allowAnonymous serve anonymous callers even on a non-loopback address when no credential is configured
 * @param apiKeys the accepted API keys, by name, SHA-256 and roles; the keys themselves are never configured
 * @param rateLimit the per-caller request rate on {@code /api}; off unless {@code limitForPeriod} is set
 * @param quota per-caller bounds on work in flight; each is off unless set
 */
@Validated
@ConfigurationProperties("asyncpatterns.security")
public record AccessControlProperties(
        @DefaultValue("false") boolean allowAnonymous,
        @DefaultValue List<@Valid ApiKey> apiKeys,
        @DefaultValue @Valid RateLimit rateLimit,
        @DefaultValue @Valid Quota quota) {

    /**
     * One accepted API key.
     *
     * @param name who the key belongs to: the caller's name in {@code createdBy}, audit lines and limits
     * @param keySha256 lower- or upper-case hex of the SHA-256 of the key
     * @param roles what the key may do: {@code reader}, {@code operator}, {@code monitor}
     */
    public record ApiKey(
            @NotBlank String name,
            @NotBlank @Pattern(regexp = "[0-9a-fA-F]{64}", message = "must be 64 hex digits (a SHA-256)") String keySha256,
            @NotEmpty List<Role> roles) {

        @Override
        public String toString() {
            // The hash is not the key, but there is no reason to print it either.
            return "ApiKey[name=" + name + ", roles=" + roles + "]";
        }
    }

    /**
     * A token bucket per caller (API key name or JWT subject; the client IP when anonymous).
     *
     * @param limitForPeriod requests a caller may make per period; unset turns the limit off
     * @param limitRefreshPeriod the period after which a caller's bucket is full again
     * @param maxCallers most callers tracked at once; the least recently seen is dropped beyond it
     */
    public record RateLimit(
            @Min(1) Integer limitForPeriod,
            @DefaultValue("1s") @DurationMin(millis = 1) @DurationMax(hours = 1) Duration limitRefreshPeriod,
            @DefaultValue("10000") @Min(1) @Max(1_000_000) int maxCallers) {

        boolean enabled() {
            return limitForPeriod != null;
        }
    }

    /**
     * Per-caller bounds on work in flight, each off unless set; a caller is an API key name or JWT
     * subject, or the client IP when anonymous. Past one: 429 naming it.
     *
     * @param maxActiveJobs most non-terminal jobs one caller may have; unset means only {@code asyncpatterns.jobs.max-active}
     * @param maxUrlsInFlight most outbound calls one caller may have in flight, summed over its running
     *                        fan-outs and fetch jobs; each reserves min(urls, concurrency) when it starts
     * @param maxCpuWork most CPU work one caller may have in its non-terminal cpu jobs: the sum of their {@code n}
     */
    public record Quota(@Min(1) Integer maxActiveJobs, @Min(1) Integer maxUrlsInFlight, @Min(1) Long maxCpuWork) {
    }
}
