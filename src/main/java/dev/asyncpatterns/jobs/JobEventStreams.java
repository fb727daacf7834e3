package dev.asyncpatterns.jobs;

import java.time.Duration;

import org.springframework.http.codec.ServerSentEvent;

import reactor.core.publisher.Flux;

/**
 * Turns a job's events into the SSE stream of {@code /api/jobs/{id}/events}: one SSE event per
 * job event, a keep-alive comment every interval so proxies keep an idle stream open, and an
 * end right after the terminal state (the keep-alive must not keep the stream, or the server's
 * drain, alive).
 */
final class JobEventStreams {

    static final String KEEP_ALIVE = "keep-alive";

    private static final ServerSentEvent<Object> END = ServerSentEvent.builder().comment("end").build();

    private JobEventStreams() {
    }

    static Flux<ServerSentEvent<Object>> sse(Flux<JobEvent> events, Duration keepAlive) {
        Flux<ServerSentEvent<Object>> data = events
            .map(event -> ServerSentEvent.builder(event.data()).event(event.name()).build())
            .concatWith(Flux.just(END));
        Flux<ServerSentEvent<Object>> comments = Flux.interval(keepAlive, keepAlive)
            .map(tick -> ServerSentEvent.builder().comment(KEEP_ALIVE).build());
        return Flux.merge(data, comments).takeWhile(event -> event != END);
    }
}
