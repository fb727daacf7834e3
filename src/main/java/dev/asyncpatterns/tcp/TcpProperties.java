package dev.asyncpatterns.tcp;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The TCP echo server and client ({@code asyncpatterns.tcp.*}).
 *
 * @param enabled whether the echo server runs
 * @param port the echo server's port; 0 picks a free one (shown in the log and /actuator/info)
 * @param host the address the echo server binds
 * @param maxLineBytes longest line the server accepts; a longer one gets an error line and the
 *     connection is closed
 * @param idleTimeout a connection that sends nothing for this long is closed
 * @param maxConnections open connections at once; more are closed on arrival
 * @param client the {@code POST /api/tcp/echo} client's bounds
 */
@Validated
@ConfigurationProperties("asyncpatterns.tcp")
public record TcpProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("9090") @Min(0) @Max(65535) int port,
        @DefaultValue("127.0.0.1") @NotBlank String host,
        @DefaultValue("8192") @Min(16) @Max(1_048_576) int maxLineBytes,
        @DefaultValue("60s") @DurationMin(millis = 100) @DurationMax(hours = 1) Duration idleTimeout,
        @DefaultValue("100") @Min(1) @Max(10_000) int maxConnections,
        @DefaultValue @Valid Client client) {

    /**
     * @param connectTimeout how long connecting may take
     * @param readTimeout how long to wait for the reply line after sending
     * @param maxMessageBytes largest message (UTF-8 bytes) accepted, and largest reply read
     */
    public record Client(
            @DefaultValue("2s") @DurationMin(millis = 1) @DurationMax(minutes = 1) Duration connectTimeout,
            @DefaultValue("5s") @DurationMin(millis = 1) @DurationMax(minutes = 2) Duration readTimeout,
            @DefaultValue("4096") @Min(1) @Max(1_048_576) int maxMessageBytes) {
    }
}
