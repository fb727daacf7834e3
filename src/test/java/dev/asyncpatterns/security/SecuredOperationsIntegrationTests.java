package dev.asyncpatterns.security;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/** Health details, the failure counter and the OpenAPI security schemes, with credentials configured. */
class SecuredOperationsIntegrationTests extends SecuredContext {

    @Autowired
    private MeterRegistry meters;

    @Test
    void healthIsPublicButItsDetailsAreForMonitorsOnly() {
        client.get().uri("/actuator/health").exchange().expectStatus().isOk()
            .expectBody().jsonPath("$.status").isEqualTo("UP").jsonPath("$.components").doesNotExist();
        client.get().uri("/actuator/health").header("X-API-Key", SecurityFixtures.OPERATOR_KEY).exchange()
            .expectStatus().isOk().expectBody().jsonPath("$.components").doesNotExist();
        client.get().uri("/actuator/health").header("X-API-Key", SecurityFixtures.MONITOR_KEY).exchange()
            .expectStatus().isOk().expectBody().jsonPath("$.components.jobRegistry.status").isEqualTo("UP");
        client.get().uri("/actuator/health")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + SecurityFixtures.jwt("grafana", "asyncpatterns.monitor"))
            .exchange().expectStatus().isOk().expectBody().jsonPath("$.components.jobRegistry").exists();
    }

    /** On answers of every kind, a refusal included: the headers come before anything else runs. */
    @Test
    void answersCarryTheSecurityHeaders() {
        for (var answer : java.util.List.of(client.get().uri("/actuator/health").exchange(),
                client.get().uri("/api/jobs").exchange())) {
            answer.expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-cache, no-store, max-age=0, must-revalidate")
                .expectBody(Void.class);
        }
    }

    @Test
    void aBadKeyOnPublicHealthIsCountedAndServedAsAnonymous() {
        double before = failures("unknown_key");
        client.get().uri("/actuator/health").header("X-API-Key", "nope").exchange().expectStatus().isOk()
            .expectBody().jsonPath("$.components").doesNotExist();
        assertThat(failures("unknown_key")).isEqualTo(before + 1);
    }

    @Test
    void authenticationFailuresAreCountedByReason() {
        double missing = failures("missing");
        double unknownKey = failures("unknown_key");
        client.get().uri("/api/jobs").exchange().expectStatus().isUnauthorized().expectBody(Void.class);
        client.get().uri("/api/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer wrong").exchange()
            .expectStatus().isUnauthorized().expectBody(Void.class);
        assertThat(failures("missing")).isEqualTo(missing + 1);
        assertThat(failures("unknown_key")).isEqualTo(unknownKey + 1);
        client.get().uri("/actuator/prometheus").header("X-API-Key", SecurityFixtures.MONITOR_KEY).exchange()
            .expectStatus().isOk().expectBody(String.class)
            .value(body -> assertThat(body).contains("asyncpatterns_security_auth_failures_total{reason=\"missing\"}"));
    }

    @Test
    void theOpenApiDocumentOffersBothSchemesForSwaggerUisAuthorizeButton() {
        client.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.components.securitySchemes.apiKey.type").isEqualTo("apiKey")
            .jsonPath("$.components.securitySchemes.apiKey.in").isEqualTo("header")
            .jsonPath("$.components.securitySchemes.apiKey.name").isEqualTo("X-API-Key")
            .jsonPath("$.components.securitySchemes.bearer.type").isEqualTo("http")
            .jsonPath("$.components.securitySchemes.bearer.scheme").isEqualTo("bearer")
            .jsonPath("$.security[0].apiKey").exists()
            .jsonPath("$.security[1].bearer").exists();
    }

    private double failures(String reason) {
        return meters.get("asyncpatterns.security.auth.failures").tag("reason", reason).counter().count();
    }
}
