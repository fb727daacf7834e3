package dev.asyncpatterns.web;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long the HTTP server waits for a client ({@code asyncpatterns.http.*}). The idle keep-alive
 * timeout is Boot's own {@code server.netty.idle-timeout}.
 *
 * @param readTimeout longest a request's body may take to arrive once its headers are in; past
 *     it the request answers 408 and the connection is closed
 */
@Validated
@ConfigurationProperties("asyncpatterns.http")
public record HttpEdgeProperties(
        @DefaultValue("20s") @DurationMin(millis = 1) @DurationMax(minutes = 10) Duration readTimeout) {
}
