package dev.asyncpatterns.outbound;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The outbound client ({@code asyncpatterns.outbound.*}).
 *
 * @param allowedHosts hosts calls may go to, each {@code host} (any port) or {@code host:port};
 *                     IPv6 literals in brackets ({@code [::1]:8080}); matched exactly, case-insensitively
 * @param maxBodyBytes most bytes read from one response body; past it the call fails {@code TOO_LARGE}
 *                     and the connection is closed rather than drained
 * @param connectTimeout how long opening a TCP connection may take
 * @param defaultResponseTimeout the per-call timeout when the caller names none; it bounds the whole
 *                               call: connection, redirects, headers and body
 * @param maxResponseTimeout the longest per-call timeout a caller may ask for
 * @param maxConnections size of the connection pool per remote host; size it for the largest fan-out
 * @param maxPendingAcquires most calls that may wait for a pooled connection; past it calls fail {@code CONNECT}
 * @param pendingAcquireTimeout how long a call may wait for a pooled connection
 * @param maxIdleTime how long an idle pooled connection is kept before it is closed
 * @param maxRedirects most redirects followed per call, each hop checked against {@code allowedHosts}
 */
@Validated
@ConfigurationProperties("asyncpatterns.outbound")
public record OutboundProperties(
        @DefaultValue({"localhost", "127.0.0.1"}) @NotEmpty List<@NotBlank String> allowedHosts,
        @DefaultValue("1048576") @Min(1) @Max(256L * 1024 * 1024) int maxBodyBytes,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration defaultResponseTimeout,
        @DefaultValue("120s") Duration maxResponseTimeout,
        @DefaultValue("2000") @Min(1) @Max(100_000) int maxConnections,
        @DefaultValue("10000") @Min(1) @Max(1_000_000) int maxPendingAcquires,
        @DefaultValue("30s") Duration pendingAcquireTimeout,
        @DefaultValue("30s") Duration maxIdleTime,
        @DefaultValue("3") @Min(0) @Max(10) int maxRedirects) {

    public OutboundProperties {
        requirePositive("connect-timeout", connectTimeout);
        requirePositive("default-response-timeout", defaultResponseTimeout);
        requirePositive("max-response-timeout", maxResponseTimeout);
        requirePositive("pending-acquire-timeout", pendingAcquireTimeout);
        requirePositive("max-idle-time", maxIdleTime);
        if (defaultResponseTimeout.compareTo(maxResponseTimeout) > 0) {
            throw new IllegalArgumentException(
                    "asyncpatterns.outbound.default-response-timeout must not exceed max-response-timeout");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("asyncpatterns.outbound." + name + " must be a positive duration");
        }
    }
}
