package dev.asyncpatterns.schedules;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.web.ProblemTypes;

import static dev.asyncpatterns.testsupport.ProblemJson.expectInvalid;
import static dev.asyncpatterns.testsupport.ProblemJson.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/schedules} against the running service and its real job registry. Due times are
 * tested in virtual time ({@link MemoryScheduleStoreTests}); here a run is started by a trigger,
 * so nothing waits for the clock.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class SchedulesApiIntegrationTests {

    private static final String HOURLY = "{\"name\": \"hourly\", \"cron\": \"0 0 * * * *\", \"timeZone\": \"Europe/Berlin\", "
            + "\"job\": {\"type\": \"sleep\", \"params\": {\"durationMs\": 1}}}";

    @Autowired
    private WebTestClient client;

    private WebTestClient.ResponseSpec post(String body) {
        return client.post().uri("/api/schedules").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private String create(String body) {
        Map<?, ?> created = post(body).expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        return (String) created.get("id");
    }

    @Test
    void createGetPauseResumeTriggerAndDelete() {
        String id = create(HOURLY);
        client.get().uri("/api/schedules/{id}", id).exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.name").isEqualTo("hourly")
            .jsonPath("$.cron").isEqualTo("0 0 * * * *")
            .jsonPath("$.timeZone").isEqualTo("Europe/Berlin")
            .jsonPath("$.overlap").isEqualTo("SKIP")
            .jsonPath("$.paused").isEqualTo(false)
            .jsonPath("$.nextRunAt").value(String.class, next -> assertThat(next).endsWith(":00:00Z"))
            .jsonPath("$.lastRuns.length()").isEqualTo(0);

        client.post().uri("/api/schedules/{id}/pause", id).exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.paused").isEqualTo(true).jsonPath("$.nextRunAt").doesNotExist();
        client.post().uri("/api/schedules/{id}/resume", id).exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.paused").isEqualTo(false).jsonPath("$.nextRunAt").exists();

        Map<?, ?> job = client.post().uri("/api/schedules/{id}/trigger", id).exchange().expectStatus().isAccepted()
            .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(job.get("scheduleId")).isEqualTo(id);
        assertThat(job.get("name")).isEqualTo("hourly");
        client.get().uri("/api/jobs/{job}?waitMs=10000", job.get("id")).exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.state").isEqualTo("SUCCEEDED").jsonPath("$.scheduleId").isEqualTo(id);
        client.get().uri("/api/schedules/{id}", id).exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.lastRuns[0].jobId").isEqualTo(job.get("id"))
            .jsonPath("$.lastRuns[0].state").isEqualTo("SUCCEEDED");
        client.get().uri("/api/schedules").exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.schedules[?(@.id == '" + id + "')]").exists();

        client.delete().uri("/api/schedules/{id}", id).exchange().expectStatus().isNoContent();
        expectProblem(client.get().uri("/api/schedules/{id}", id).exchange(), 404)
            .jsonPath("$.type").isEqualTo(ProblemTypes.SCHEDULE_NOT_FOUND.toString());
        expectProblem(client.post().uri("/api/schedules/not-a-uuid/trigger").exchange(), 404);
        client.get().uri("/api/jobs/{job}", job.get("id")).exchange().expectStatus().isOk();
    }

    @Test
    void badInputIsA400NamingTheField() {
        String job = "\"job\": {\"type\": \"sleep\", \"params\": {\"durationMs\": 1}}";
        expectInvalid(post("{\"name\": \"x\", \"cron\": \"0 0 * *\", " + job + "}"), "cron");
        expectInvalid(post("{\"name\": \"x\", \"cron\": \"0 0 * * * *\", \"timeZone\": \"Nowhere/Land\", " + job + "}"),
                "timeZone");
        expectInvalid(post("{\"name\": \"x\", " + job + "}"), "cron");
        expectInvalid(post("{\"name\": \"x\", \"cron\": \"0 0 * * * *\", \"everyMs\": 5000, " + job + "}"), "everyMs");
        expectInvalid(post("{\"name\": \"x\", \"everyMs\": 999, " + job + "}"), "everyMs");
        expectInvalid(post("{\"name\": \"x\", \"everyMs\": 1000, \"overlap\": \"SOMETIMES\", " + job + "}"), "overlap");
        expectInvalid(post("{\"name\": \"x\", \"everyMs\": 1000, \"job\": {\"type\": \"nope\", \"params\": {}}}"),
                "job.type");
        expectInvalid(post("{\"name\": \"x\", \"everyMs\": 1000, \"job\": {\"type\": \"sleep\", \"params\": "
                + "{\"durationMs\": -1}}}"), "job.params.durationMs");
        expectInvalid(post("{\"name\": \"x\", \"everyMs\": 1000, \"job\": {\"type\": \"sleep\", \"params\": "
                + "{\"durationMs\": 1}, \"timeoutMs\": 0}}"), "job.timeoutMs");
        expectInvalid(post("{\"name\": \"x\", \"everyMs\": 1000, \"job\": {\"type\": \"sleep\", \"params\": "
                + "{\"durationMs\": 1}, \"retry\": {\"maxAttempts\": 99, \"backoffMs\": 1}}}"), "job.retry.maxAttempts");
        expectInvalid(post("{\"everyMs\": 1000, " + job + "}"), "name");
    }

    @Test
    void theOpenApiDocumentDescribesEveryScheduleOperation() {
        client.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.paths['/api/schedules'].post.requestBody.content['application/json'].examples.cron").exists()
            .jsonPath("$.paths['/api/schedules'].get").exists()
            .jsonPath("$.paths['/api/schedules/{id}'].get").exists()
            .jsonPath("$.paths['/api/schedules/{id}'].delete").exists()
            .jsonPath("$.paths['/api/schedules/{id}/pause'].post").exists()
            .jsonPath("$.paths['/api/schedules/{id}/resume'].post").exists()
            .jsonPath("$.paths['/api/schedules/{id}/trigger'].post.responses['202']").exists();
    }
}
