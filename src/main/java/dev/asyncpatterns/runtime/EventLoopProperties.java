package dev.asyncpatterns.runtime;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The event-loop lag probe ({@code asyncpatterns.eventloop.*}).
 *
 * @param enabled whether a probe runs on every Netty event loop of the server
 * @param intervalMs how often each loop is probed
 * @param warnThresholdMs lag above which a WARN names the loop (asyncio's slow-callback warning)
 */
@Validated
@ConfigurationProperties("asyncpatterns.eventloop")
public record EventLoopProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("100") @Min(10) @Max(60_000) long intervalMs,
        @DefaultValue("100") @Min(1) @Max(60_000) long warnThresholdMs) {
}
