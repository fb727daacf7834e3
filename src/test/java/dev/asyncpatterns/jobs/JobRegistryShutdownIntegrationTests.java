package dev.asyncpatterns.jobs;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.AsyncPatternsApplication;
import dev.asyncpatterns.jobs.type.BlockingJobType;
import dev.asyncpatterns.jobs.type.SleepJobType;
import dev.asyncpatterns.testsupport.EagerResponseBodies;
import dev.asyncpatterns.testsupport.ThreadProbe;
import dev.asyncpatterns.web.ProblemTypes;
import reactor.netty.channel.AbortedException;

import static dev.asyncpatterns.jobs.JobCaller.SYSTEM;
import static dev.asyncpatterns.jobs.JobRegistryFixture.request;
import static dev.asyncpatterns.testsupport.JobAssert.assertThatJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class JobRegistryShutdownIntegrationTests {

    private static final int IDLE_JOBS = 1_000;


    @Test
    void closingTheContextRefusesNewJobsLetsRunningOnesFinishCancelsTheRestAndLogsOneSummary(CapturedOutput output)
            throws InterruptedException {
        // Command-line arguments: as default properties, application.yml's server.port=8080 would win,
        // and the test would need port 8080 free.
        ConfigurableApplicationContext context = new SpringApplicationBuilder(AsyncPatternsApplication.class)
            .run("--server.port=0", "--asyncpatterns.tcp.port=0", "--asyncpatterns.jobs.shutdown-grace=8s",
                    "--asyncpatterns.jobs.retention.max-count=" + (IDLE_JOBS + 3));
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        WebTestClient client = EagerResponseBodies.bindToServer().baseUrl("http://localhost:" + port)
            .responseTimeout(Duration.ofSeconds(30)).build();
        JobRegistry registry = context.getBean(JobRegistry.class);

        JobView ticker = registry.submit(request("ticker", "{\"intervalMs\": 50}", null), SYSTEM);
        JobView blocking = registry.submit(request("blocking", "{\"durationMs\": 3600000}", null), SYSTEM);
        for (int i = 0; i < IDLE_JOBS; i++) {
            registry.submit(request("sleep", "{\"durationMs\": 3600000}", null), SYSTEM);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ThreadProbe.threadsInside(BlockingJobType.class) == 1);

        List<ServerSentEvent<String>> events = new CopyOnWriteArrayList<>();
        CountDownLatch streamEnded = new CountDownLatch(1);
        AtomicReference<Throwable> streamError = new AtomicReference<>();
        client.get().uri("/api/jobs/{id}/events", ticker.id().toString()).accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
            .getResponseBody()
            .subscribe(events::add, error -> {
                streamError.set(error);
                streamEnded.countDown();
            }, streamEnded::countDown);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 3);

        // Started last, so it is still running when the close begins and ends well within the grace.
        JobView finishing = registry.submit(request("sleep", "{\"durationMs\": 2000}", null), SYSTEM);
        Thread closer = new Thread(context::close, "context-closer");
        closer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !registry.isAccepting());

        client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}")
            .exchange()
            .expectStatus().isEqualTo(503)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.SHUTTING_DOWN.toString());
        client.get().uri("/actuator/health").exchange()
            .expectStatus().isEqualTo(503)
            .expectBody().jsonPath("$.components.jobRegistry.status").isEqualTo("OUT_OF_SERVICE");

        closer.join(TimeUnit.SECONDS.toMillis(25));
        assertThat(closer.isAlive()).as("context close finished within the grace period plus a margin").isFalse();

        assertThatJob(registry.get(finishing.id().toString(), SYSTEM)).succeededWith(new SleepJobType.Result(2000));
        assertThatJob(registry.get(ticker.id().toString(), SYSTEM)).isCancelledBecause(CancelReason.SHUTDOWN);
        assertThatJob(registry.get(blocking.id().toString(), SYSTEM)).isCancelledBecause(CancelReason.SHUTDOWN);
        assertThat(registry.list(JobState.RUNNING, null, 1000, SYSTEM)).isEmpty();
        assertThat(registry.activeCount()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> ThreadProbe.threadsInside(BlockingJobType.class) == 0);

        assertThat(streamEnded.await(10, TimeUnit.SECONDS)).as("open SSE stream ended").isTrue();
        // A stream that completes always ends with the job's terminal state (the registry appends
        // it after its live events). The web server's graceful shutdown starts the moment the
        // registry has stopped, and it has been seen (once in many runs) to close the connection
        // before that last event was flushed: then the client sees the connection end, not the event.
        if (streamError.get() == null) {
            ServerSentEvent<String> last = events.get(events.size() - 1);
            assertThat(last.event()).isEqualTo("state");
            assertThat(last.data()).contains("\"state\":\"CANCELLED\"", "\"cancelReason\":\"SHUTDOWN\"");
        }
        else {
            assertThat(connectionClosed(streamError.get()))
                .as("the stream ended only because the server closed the connection: %s", streamError.get()).isTrue();
        }

        String summary = "Job registry stopped: " + (IDLE_JOBS + 3) + " running jobs at shutdown, 1 finished within the 8000 ms grace period, "
                + (IDLE_JOBS + 2) + " cancelled";
        assertThat(output.getOut()).containsOnlyOnce("Job registry stopped:").contains(summary);
    }

    /** Whether {@code error} or one of its causes says the connection went away (Reactor Netty's PrematureCloseException is an IOException). */
    private static boolean connectionClosed(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException || cause instanceof AbortedException) {
                return true;
            }
        }
        return false;
    }
}
