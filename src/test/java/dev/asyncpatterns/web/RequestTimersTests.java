package dev.asyncpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;

/**
 * {@link RequestTimers} leaves the same meters as Boot's handler, {@link DefaultMeterObservationHandler}:
 * the same requests are observed through each, on registries of their own, and the registries
 * must then hold the same timers with the same counts.
 */
class RequestTimersTests {

    @Test
    void theSameRequestsLeaveTheSameTimersAsBootsHandler() {
        MetricsProperties properties = new MetricsProperties();
        properties.getObservations().setIgnoredMeters(Set.of(IgnoredMeters.LONG_TASK_TIMER));

        MeterRegistry bootsMeters = new SimpleMeterRegistry();
        Map<String, Long> boots = timed(bootsMeters,
                new DefaultMeterObservationHandler(bootsMeters, IgnoredMeters.LONG_TASK_TIMER));
        MeterRegistry ourMeters = new SimpleMeterRegistry();
        RequestTimers ours = new RequestTimers(ourMeters, properties);
        Map<String, Long> timers = timed(ourMeters, ours);

        assertThat(timers).isEqualTo(boots).hasSize(3);
        assertThat(ours.tagSets()).as("tag sets kept").isEqualTo(3);
    }

    @Test
    void aLongTaskTimerWhenItIsNotIgnoredIsStartedAndStoppedToo() {
        MeterRegistry bootsMeters = new SimpleMeterRegistry();
        Map<String, Long> boots = timed(bootsMeters, new DefaultMeterObservationHandler(bootsMeters));
        MeterRegistry ourMeters = new SimpleMeterRegistry();
        Map<String, Long> timers = timed(ourMeters, new RequestTimers(ourMeters, new MetricsProperties()));

        assertThat(timers).isEqualTo(boots);
        assertThat(timers.keySet()).anyMatch(meter -> meter.startsWith("long task") && meter.endsWith("active=0"));
    }

    @Test
    void onlyTheServersRequestsAreTakenBootsHandlerTimesTheRest() {
        RequestTimers timers = new RequestTimers(new SimpleMeterRegistry(), new MetricsProperties());

        assertThat(timers.supportsContext(context("/sim/status/200", HttpStatus.OK))).isTrue();
        assertThat(timers.supportsContext(new Observation.Context())).isFalse();
    }

    /**
     * Observes five requests (three alike, one failed, one 404) through {@code handler}; the meters
     * left in {@code meters}, each with its count.
     */
    private static Map<String, Long> timed(MeterRegistry meters, ObservationHandler<?> handler) {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(handler);
        for (int i = 0; i < 3; i++) {
            observe(observations, context("/sim/status/200", HttpStatus.OK), null);
        }
        observe(observations, context("/api/jobs", HttpStatus.INTERNAL_SERVER_ERROR), new IllegalStateException("boom"));
        observe(observations, context("/api/nothing", HttpStatus.NOT_FOUND), null);

        Map<String, Long> counts = new HashMap<>();
        for (Meter meter : meters.getMeters()) {
            if (meter instanceof Timer timer) {
                counts.put("timer " + meter.getId().getName() + " " + meter.getId().getTags(), timer.count());
            }
            else if (meter instanceof LongTaskTimer inFlight) {
                counts.put("long task " + meter.getId().getName() + " " + meter.getId().getTags() + " active="
                        + inFlight.activeTasks(), 1L);
            }
        }
        return counts;
    }

    private static void observe(ObservationRegistry observations, ServerRequestObservationContext context,
            Throwable error) {
        Observation observation = Observation.createNotStarted(new DefaultServerRequestObservationConvention(),
                () -> context, observations).start();
        if (error != null) {
            observation.error(error);
        }
        observation.stop();
    }

    private static ServerRequestObservationContext context(String path, HttpStatus status) {
        MockServerHttpResponse response = new MockServerHttpResponse();
        response.setStatusCode(status);
        ServerRequestObservationContext context = new ServerRequestObservationContext(
                MockServerHttpRequest.get(path).build(), response, Map.of());
        context.setPathPattern(path);
        return context;
    }
}
