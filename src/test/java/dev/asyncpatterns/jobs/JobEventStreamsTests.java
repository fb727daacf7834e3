package dev.asyncpatterns.jobs;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class JobEventStreamsTests {

    private static final Duration VERIFY = Duration.ofSeconds(5);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    @Test
    void anIdleStreamCarriesAKeepAliveCommentEveryInterval() {
        StepVerifier.withVirtualTime(() -> JobEventStreams.sse(Flux.never(), KEEP_ALIVE))
            .expectSubscription()
            .expectNoEvent(KEEP_ALIVE.minusMillis(1))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(event -> {
                assertThat(event.comment()).isEqualTo(JobEventStreams.KEEP_ALIVE);
                assertThat(event.event()).isNull();
            })
            .expectNoEvent(KEEP_ALIVE.minusMillis(1))
            .thenAwait(Duration.ofMillis(1))
            .assertNext(event -> assertThat(event.comment()).isEqualTo(JobEventStreams.KEEP_ALIVE))
            .thenCancel()
            .verify(VERIFY);
    }

    @Test
    void theStreamEndsRightAfterTheLastJobEventDespiteTheKeepAlive() {
        JobEvent running = new JobEvent("state", "RUNNING");
        JobEvent done = new JobEvent("state", "SUCCEEDED");
        StepVerifier.withVirtualTime(() -> JobEventStreams.sse(
                Flux.concat(Mono.just(running), Mono.just(done).delayElement(Duration.ofSeconds(20))), KEEP_ALIVE))
            .assertNext(event -> {
                assertThat(event.event()).isEqualTo("state");
                assertThat(event.data()).isEqualTo("RUNNING");
            })
            .thenAwait(KEEP_ALIVE)
            .assertNext(event -> assertThat(event.comment()).isEqualTo(JobEventStreams.KEEP_ALIVE))
            .thenAwait(Duration.ofSeconds(5))
            .assertNext(event -> assertThat(event.data()).isEqualTo("SUCCEEDED"))
            .expectComplete()
            .verify(VERIFY);
    }
}
