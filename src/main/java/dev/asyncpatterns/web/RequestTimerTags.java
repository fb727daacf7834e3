package dev.asyncpatterns.web;

import io.micrometer.common.KeyValues;

import org.springframework.boot.micrometer.observation.autoconfigure.ObservationProperties;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * The request observation's convention without its high-cardinality values. Boot's default computes
 * them for every request ({@code http.url}: the request's path, read and rebuilt per exchange),
 * and only a tracer reads them: the {@code http.server.requests} timer is tagged with the
 * low-cardinality values alone (method, uri pattern, status, outcome, exception), which stay.
 * The service has no tracer, so that work was wasted on every request (a fortieth of a
 * {@code GET /sim/status/200}'s samples in a profile of bench W3). Boot backs off its own
 * convention when one is defined; the name setting
 * ({@code management.observations.http.server.requests.name}) is kept.
 */
@Component
class RequestTimerTags extends DefaultServerRequestObservationConvention {

    RequestTimerTags(ObservationProperties properties) {
        super(properties.getHttp().getServer().getRequests().getName());
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(ServerRequestObservationContext context) {
        return KeyValues.empty();
    }
}
