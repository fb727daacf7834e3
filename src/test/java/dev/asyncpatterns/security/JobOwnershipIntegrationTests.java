package dev.asyncpatterns.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No caller sees or touches another's jobs: every job endpoint answers 404 for a job someone else
 * created, exactly as for an unknown id, and the job keeps running. A caller with operator and
 * monitor sees and acts on every job with {@code ?all=true}; anyone else asking for that gets 403.
 */
@ExtendWith(OutputCaptureExtension.class)
class JobOwnershipIntegrationTests extends SecuredContext {

    private String aliceJob;

    private WebTestClient.RequestHeadersSpec<?> as(String key, WebTestClient.RequestHeadersSpec<?> request) {
        return request.header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
    }

    @BeforeEach
    void aliceStartsATicker() {
        Map<?, ?> job = as(SecurityFixtures.OPERATOR_KEY, client.post().uri("/api/jobs")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"type\": \"ticker\", \"params\": {\"intervalMs\": 50}}"))
            .exchange().expectStatus().isAccepted()
            .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(job.get("createdBy")).isEqualTo("alice");
        aliceJob = (String) job.get("id");
    }

    @AfterEach
    void aliceCleansUp() {
        as(SecurityFixtures.OPERATOR_KEY, client.post().uri("/api/jobs/{id}/cancel", aliceJob)).exchange().expectBody(Void.class);
        as(SecurityFixtures.OPERATOR_KEY, client.delete().uri("/api/jobs/{id}", aliceJob)).exchange().expectBody(Void.class);
    }

    private void assertStillRunning() {
        as(SecurityFixtures.OPERATOR_KEY, client.get().uri("/api/jobs/{id}", aliceJob)).exchange()
            .expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("RUNNING");
    }

    @Test
    void anotherOperatorGetsNotFoundOnEveryJobEndpointAndTheJobRunsOn() {
        String bob = SecurityFixtures.OTHER_OPERATOR_KEY;
        as(bob, client.get().uri("/api/jobs/{id}", aliceJob)).exchange().expectStatus().isNotFound().expectBody(Void.class);
        as(bob, client.get().uri("/api/jobs/{id}?waitMs=50", aliceJob)).exchange().expectStatus().isNotFound().expectBody(Void.class);
        as(bob, client.get().uri("/api/jobs/{id}/events", aliceJob).accept(MediaType.TEXT_EVENT_STREAM)).exchange()
            .expectStatus().isNotFound()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        as(bob, client.post().uri("/api/jobs/{id}/cancel", aliceJob)).exchange().expectStatus().isNotFound().expectBody(Void.class);
        as(bob, client.delete().uri("/api/jobs/{id}", aliceJob)).exchange().expectStatus().isNotFound().expectBody(Void.class);
        as(bob, client.get().uri("/api/jobs?limit=1000")).exchange().expectStatus().isOk()
            .expectBody().jsonPath("$.jobs[?(@.id == '" + aliceJob + "')]").doesNotExist();
        assertStillRunning();
    }

    @Test
    void aReaderKeyOfAnotherNameSeesNoneOfAlicesJobs() {
        as(SecurityFixtures.READER_KEY, client.get().uri("/api/jobs/{id}", aliceJob)).exchange().expectStatus().isNotFound().expectBody(Void.class);
        as(SecurityFixtures.READER_KEY, client.get().uri("/api/jobs?limit=1000")).exchange().expectStatus().isOk()
            .expectBody().jsonPath("$.jobs[?(@.createdBy == 'alice')]").doesNotExist();
    }

    @Test
    void aJwtSubjectOwnsTheJobsItStartsAndOnlyThose() {
        String token = SecurityFixtures.jwt("dave", "asyncpatterns.write");
        Map<?, ?> job = as(token, client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"type\": \"sleep\", \"params\": {\"durationMs\": 10}}"))
            .exchange().expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(job.get("createdBy")).isEqualTo("dave");
        as(token, client.get().uri("/api/jobs/{id}?waitMs=5000", job.get("id"))).exchange().expectStatus().isOk()
            .expectBody().jsonPath("$.state").isEqualTo("SUCCEEDED");
        as(token, client.get().uri("/api/jobs/{id}", aliceJob)).exchange().expectStatus().isNotFound().expectBody(Void.class);
        as(SecurityFixtures.OPERATOR_KEY, client.get().uri("/api/jobs/{id}", job.get("id"))).exchange()
            .expectStatus().isNotFound().expectBody(Void.class);
    }

    @Test
    void theOwnerSeesItsJobInTheListWithItsCreator() {
        as(SecurityFixtures.OPERATOR_KEY, client.get().uri("/api/jobs?limit=1000")).exchange().expectStatus().isOk()
            .expectBody()
            .jsonPath("$.jobs[?(@.id == '" + aliceJob + "')].createdBy").isEqualTo(List.of("alice"))
            .jsonPath("$.jobs[?(@.createdBy != 'alice')]").doesNotExist();
    }

    @Test
    void operatorAndMonitorSeeAndCancelEveryCallersJobsWithAll() {
        String admin = SecurityFixtures.ADMIN_KEY;
        as(admin, client.get().uri("/api/jobs/{id}", aliceJob)).exchange().expectStatus().isNotFound().expectBody(Void.class);
        as(admin, client.get().uri("/api/jobs?all=true&limit=1000")).exchange().expectStatus().isOk()
            .expectBody().jsonPath("$.jobs[?(@.id == '" + aliceJob + "')].createdBy").isEqualTo(List.of("alice"));
        as(admin, client.get().uri("/api/jobs/{id}?all=true", aliceJob)).exchange().expectStatus().isOk().expectBody(Void.class);
        as(admin, client.post().uri("/api/jobs/{id}/cancel?all=true", aliceJob)).exchange().expectStatus().isAccepted()
            .expectBody().jsonPath("$.state").isEqualTo("CANCELLED");
    }

    @Test
    void askingForEveryJobWithoutOperatorAndMonitorIsForbidden() {
        for (String key : List.of(SecurityFixtures.OPERATOR_KEY, SecurityFixtures.READER_KEY, SecurityFixtures.MONITOR_KEY)) {
            for (String all : List.of("true", "yes", "1", "on")) {
                as(key, client.get().uri("/api/jobs?all=" + all)).exchange().expectStatus().isForbidden().expectBody(Void.class);
            }
            as(key, client.post().uri("/api/jobs/{id}/cancel?all=true", aliceJob)).exchange().expectStatus().isForbidden().expectBody(Void.class);
        }
        as(SecurityFixtures.OPERATOR_KEY, client.get().uri("/api/jobs?all=false")).exchange().expectStatus().isOk().expectBody(Void.class);
        assertStillRunning();
    }

    @Test
    void everyStateChangingCallLeavesAnAuditLineWithoutKeyMaterial(CapturedOutput output) {
        as(SecurityFixtures.OTHER_OPERATOR_KEY, client.post().uri("/api/jobs/{id}/cancel", aliceJob)).exchange()
            .expectStatus().isNotFound().expectBody(Void.class);
        client.post().uri("/api/jobs/{id}/cancel", aliceJob).exchange().expectStatus().isUnauthorized().expectBody(Void.class);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output.getOut())
            .contains("audit who=alice ip=127.0.0.1 what=\"POST /api/jobs\" job=" + aliceJob + " outcome=202")
            .contains("audit who=bob ip=127.0.0.1 what=\"POST /api/jobs/" + aliceJob + "/cancel\" job=" + aliceJob
                    + " outcome=404")
            .contains("audit who=anonymous ip=127.0.0.1 what=\"POST /api/jobs/" + aliceJob + "/cancel\" job="
                    + aliceJob + " outcome=401"));
        assertThat(output.getAll()).doesNotContain(SecurityFixtures.OPERATOR_KEY, SecurityFixtures.OTHER_OPERATOR_KEY,
                SecurityFixtures.sha256Hex(SecurityFixtures.OPERATOR_KEY));
    }

    @Test
    void theAuditLoggerWritesThroughItsOwnQueueToTheConsoleAndItsDropsAreMetered(@Autowired MeterRegistry meters) {
        ch.qos.logback.classic.Logger audit = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(AuditLog.LOGGER);

        assertThat(audit.isAdditive()).isFalse();
        assertThat(audit.getAppender("AUDIT")).isInstanceOfSatisfying(AuditAppender.class, appender -> {
            assertThat(appender.getQueueSize()).isEqualTo(8192);
            assertThat(appender.getAppender("AUDIT_CONSOLE")).isInstanceOf(AuditConsoleAppender.class);
        });
        assertThat(meters.get(AuditDropMeter.METER).functionCounter().count()).isZero();
    }

    /** Requests are timed as a whole; Spring Security's chain, authentication and authorization are not observed. */
    @Test
    void onlyTheRequestIsObservedNotEachSecurityStep(@Autowired MeterRegistry meters) {
        as(SecurityFixtures.OPERATOR_KEY, client.get().uri("/api/jobs/{id}", aliceJob)).exchange().expectStatus().isOk()
            .expectBody(Void.class);
        client.get().uri("/api/jobs").exchange().expectStatus().isUnauthorized().expectBody(Void.class);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(meters.find("http.server.requests").timers())
            .isNotEmpty());
        assertThat(meters.getMeters()).extracting(meter -> meter.getId().getName())
            .noneMatch(name -> name.startsWith("spring.security"));
    }
}
