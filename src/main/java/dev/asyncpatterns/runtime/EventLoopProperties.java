package dev.asyncpatterns.runtime;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The event-loop lag probe ({@code asyncpatterns.eventloop.*}).
 *
 * @param enabled whether a probe runs on every Netty event loop of the server
 * @param interval how often each loop is probed
 * @param warnThreshold lag above which a WARN names the loop (asyncio's slow-callback warning)
 */
@Validated
@ConfigurationProperties("asyncpatterns.eventloop")
public record EventLoopProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("100ms") @DurationMin(millis = 10) @DurationMax(minutes = 1) Duration interval,
        @DefaultValue("100ms") @DurationMin(millis = 1) @DurationMax(minutes = 1) Duration warnThreshold) {
}
