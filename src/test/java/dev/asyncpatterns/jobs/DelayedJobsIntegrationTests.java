package dev.asyncpatterns.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static dev.asyncpatterns.testsupport.JobAssert.assertThatJob;
import static dev.asyncpatterns.testsupport.ProblemJson.expectInvalid;
import static dev.asyncpatterns.testsupport.ProblemJson.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code runAt} and {@code delayMs} on {@code POST /api/jobs} over HTTP, with the in-memory store. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "asyncpatterns.jobs.max-scheduled=3")
@AutoConfigureWebTestClient(timeout = "30s")
class DelayedJobsIntegrationTests {

    private static final String SLEEP = "\"type\":\"sleep\",\"params\":{\"durationMs\":10,\"steps\":1}";

    @Autowired
    private WebTestClient client;

    private WebTestClient.ResponseSpec post(String fields) {
        return client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{" + SLEEP + "," + fields + "}").exchange();
    }

    private JobView submit(String fields) {
        return post(fields).expectStatus().isAccepted().expectBody(JobView.class).returnResult().getResponseBody();
    }

    private JobView awaitJob(JobView job) {
        return client.get().uri("/api/jobs/{id}?waitMs=15000", job.id().toString()).exchange()
            .expectStatus().isOk().expectBody(JobView.class).returnResult().getResponseBody();
    }

    @Test
    void aDelayedJobIsScheduledListedAndStartsOnlyOnceItsDelayPassed() {
        JobView job = submit("\"delayMs\":400");
        assertThatJob(job).hasState(JobState.SCHEDULED);
        assertThat(job.nextAttemptAt()).isEqualTo(job.createdAt().plusMillis(400));
        assertThat(job.startedAt()).isNull();

        client.get().uri("/api/jobs?state=SCHEDULED").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.jobs[?(@.id == '%s')].nextAttemptAt".formatted(job.id())).exists();

        JobView done = awaitJob(job);
        assertThatJob(done).hasState(JobState.SUCCEEDED);
        assertThat(done.startedAt()).isAfterOrEqualTo(job.nextAttemptAt());
        assertThat(done.nextAttemptAt()).as("only while SCHEDULED").isNull();
    }

    @Test
    void aJobWithRunAtInThePastStartsAtOnce() {
        JobView job = submit("\"runAt\":\"2020-01-01T00:00:00Z\"");
        assertThatJob(awaitJob(job)).hasState(JobState.SUCCEEDED);
    }

    @Test
    void theEventStreamOfAScheduledJobFollowsItFromScheduledToItsEnd() {
        JobView job = submit("\"delayMs\":200");
        List<String> states = client.get().uri("/api/jobs/{id}/events", job.id().toString())
            .accept(MediaType.TEXT_EVENT_STREAM).exchange()
            .expectStatus().isOk()
            .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() { })
            .getResponseBody()
            .filter(event -> "state".equals(event.event()))
            .map(event -> String.valueOf(event.data().get("state")))
            .collectList().block(Duration.ofSeconds(15));
        assertThat(states).first().isEqualTo("SCHEDULED");
        assertThat(states).last().isEqualTo("SUCCEEDED");
        assertThat(states).contains("RUNNING");
    }

    @Test
    void aCancelledScheduledJobNeverRunsEvenAfterItsTimePassed() {
        JobView cancelled = submit("\"delayMs\":300");
        // Due after the cancelled one: once it ran, the cancelled job's time has passed too.
        JobView witness = submit("\"delayMs\":600");

        client.post().uri("/api/jobs/{id}/cancel", cancelled.id().toString()).exchange()
            .expectStatus().isAccepted()
            .expectBody().jsonPath("$.state").isEqualTo("CANCELLED").jsonPath("$.cancelReason").isEqualTo("USER");

        assertThatJob(awaitJob(witness)).hasState(JobState.SUCCEEDED);
        JobView after = awaitJob(cancelled);
        assertThatJob(after).isCancelledBecause(CancelReason.USER);
        assertThat(after.startedAt()).isNull();
    }

    @Test
    void maxScheduledAnswers429WithRetryAfter() {
        List<JobView> held = new ArrayList<>();
        // Other tests' jobs may still wait: fill whatever is left of the three places.
        while (held.size() < 3) {
            FluxExchangeResult<JobView> answer = post("\"delayMs\":60000").returnResult(JobView.class);
            if (answer.getStatus().value() != 202) {
                break;
            }
            held.add(answer.getResponseBody().blockFirst(Duration.ofSeconds(5)));
        }

        expectProblem(post("\"delayMs\":60000"), 429).jsonPath("$.maxScheduled").isEqualTo(3);
        post("\"delayMs\":60000").expectHeader().exists(HttpHeaders.RETRY_AFTER);
        // Jobs that start at once are bounded by max-active, not by the scheduled ones.
        post("\"delayMs\":null").expectStatus().isAccepted();

        held.forEach(job -> client.post().uri("/api/jobs/{id}/cancel", job.id().toString()).exchange()
            .expectStatus().isAccepted());
        post("\"delayMs\":60000").expectStatus().isAccepted();
    }

    @Test
    void badStartTimesAre400sNamingTheField() {
        expectInvalid(post("\"delayMs\":1000,\"runAt\":\"" + Instant.now().plusSeconds(60) + "\""), "runAt");
        expectInvalid(post("\"delayMs\":-1"), "delayMs");
        expectInvalid(post("\"delayMs\":2592000001"), "delayMs");
        expectInvalid(post("\"runAt\":\"" + Instant.now().plus(Duration.ofDays(31)) + "\""), "runAt");
        expectInvalid(post("\"runAt\":\"tomorrow at noon\""), "runAt");
    }
}
