package dev.asyncpatterns.security;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import static dev.asyncpatterns.testsupport.ProblemJson.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Schedules with credentials: operators write, readers read, and a schedule is its owner's alone. */
class SecuredSchedulesIntegrationTests extends SecuredContext {

    private static final String BODY = "{\"name\": \"secured\", \"everyMs\": 3600000, "
            + "\"job\": {\"type\": \"sleep\", \"params\": {\"durationMs\": 1}}}";

    private String createAs(String key) {
        Map<?, ?> created = client.post().uri("/api/schedules").header("X-API-Key", key)
            .contentType(MediaType.APPLICATION_JSON).bodyValue(BODY).exchange()
            .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(created.get("createdBy")).isNotNull();
        return (String) created.get("id");
    }

    @Test
    void operatorsCreateReadersOnlyRead() {
        expectProblem(client.post().uri("/api/schedules").header("X-API-Key", SecurityFixtures.READER_KEY)
            .contentType(MediaType.APPLICATION_JSON).bodyValue(BODY).exchange(), 403);
        expectProblem(client.post().uri("/api/schedules").contentType(MediaType.APPLICATION_JSON).bodyValue(BODY)
            .exchange(), 401);
        client.get().uri("/api/schedules").header("X-API-Key", SecurityFixtures.READER_KEY).exchange()
            .expectStatus().isOk().expectBody().jsonPath("$.schedules").isArray();

        String id = createAs(SecurityFixtures.OPERATOR_KEY);
        expectProblem(client.post().uri("/api/schedules/{id}/pause", id).header("X-API-Key", SecurityFixtures.READER_KEY)
            .exchange(), 403);
        client.delete().uri("/api/schedules/{id}", id).header("X-API-Key", SecurityFixtures.OPERATOR_KEY).exchange()
            .expectStatus().isNoContent();
    }

    @Test
    void anotherCallersScheduleAnswers404() {
        String id = createAs(SecurityFixtures.OPERATOR_KEY);
        String bob = SecurityFixtures.OTHER_OPERATOR_KEY;
        expectProblem(client.get().uri("/api/schedules/{id}", id).header("X-API-Key", bob).exchange(), 404);
        expectProblem(client.post().uri("/api/schedules/{id}/trigger", id).header("X-API-Key", bob).exchange(), 404);
        expectProblem(client.delete().uri("/api/schedules/{id}", id).header("X-API-Key", bob).exchange(), 404);
        client.get().uri("/api/schedules").header("X-API-Key", bob).exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.schedules[?(@.id == '" + id + "')]").doesNotExist();

        Map<?, ?> job = client.post().uri("/api/schedules/{id}/trigger", id)
            .header("X-API-Key", SecurityFixtures.OPERATOR_KEY).exchange().expectStatus().isAccepted()
            .expectBody(Map.class).returnResult().getResponseBody();
        // The run is the owner's job: its creator sees it, the other caller does not.
        assertThat(job.get("createdBy")).isEqualTo("alice");
        expectProblem(client.get().uri("/api/jobs/{job}", job.get("id")).header("X-API-Key", bob).exchange(), 404);
        client.delete().uri("/api/schedules/{id}", id).header("X-API-Key", SecurityFixtures.OPERATOR_KEY).exchange()
            .expectStatus().isNoContent();
    }
}
