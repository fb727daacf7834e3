package dev.asyncpatterns.web;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.Observation;

/**
 * Times the server's requests ({@code http.server.requests}) as Boot's meter handler does: a timer
 * named after the observation, tagged with its low-cardinality values and {@code error}, started
 * with the request. Boot's handler builds the timer's tags and asks the registry for it on every
 * request (about 1.5% of a {@code POST /api/jobs}'s CPU in a profile); this one keeps the timers of
 * the tag sets it has seen, up to {@value #MAX_TAG_SETS} of them (past that it asks the registry, as
 * Boot's does). The tag sets are few: method, route pattern, status, outcome, exception. A timer
 * removed from the registry would stay here; nothing in the service removes meters.
 *
 * <p>Boot groups the meter handlers so that the first one that takes an observation handles it:
 * ordered first, this one takes the server's requests, and Boot's handles every other observation.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestTimers extends DefaultMeterObservationHandler {

    private static final int MAX_TAG_SETS = 1_000;

    private record TagSet(String name, KeyValues keyValues, String error) {
    }

    private final MeterRegistry registry;
    private final ConcurrentHashMap<TagSet, Timer> timers = new ConcurrentHashMap<>();

    /** What Boot's handler ignores ({@code management.metrics.observations.ignored-meters}) is ignored here too. */
    RequestTimers(MeterRegistry registry, MetricsProperties properties) {
        super(registry, properties.getObservations().getIgnoredMeters().toArray(IgnoredMeters[]::new));
        this.registry = registry;
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof ServerRequestObservationContext;
    }

    @Override
    public void onStop(Observation.Context context) {
        Throwable error = context.getError();
        TagSet tagSet = new TagSet(context.getName(), context.getLowCardinalityKeyValues(),
                error == null ? "none" : error.getClass().getSimpleName());
        Timer timer = timers.get(tagSet);
        if (timer == null) {
            timer = registry.timer(tagSet.name(), tags(tagSet));
            if (timers.size() < MAX_TAG_SETS) {
                timers.putIfAbsent(tagSet, timer);
            }
        }
        Timer.Sample sample = context.getRequired(Timer.Sample.class);
        sample.stop(timer);
        LongTaskTimer.Sample inFlight = context.get(LongTaskTimer.Sample.class);
        if (inFlight != null) {
            inFlight.stop();
        }
    }

    /** How many tag sets have their timer kept. */
    int tagSets() {
        return timers.size();
    }

    private static List<Tag> tags(TagSet tagSet) {
        List<Tag> tags = new ArrayList<>();
        for (KeyValue keyValue : tagSet.keyValues()) {
            tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
        }
        tags.add(Tag.of("error", tagSet.error()));
        return tags;
    }
}
