package dev.asyncpatterns.security;

import java.time.Instant;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import dev.asyncpatterns.web.ProblemTypes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens the service must refuse, each signed (or not) by a key this test made: 401 with
 * {@code WWW-Authenticate} and problem JSON, counted as {@code invalid_token}.
 */
class JwtRejectionIntegrationTests extends SecuredContext {

    private static final String READ = "asyncpatterns.read";

    @Autowired
    private MeterRegistry meters;

    private void assertRefused(String token) {
        double before = failures("invalid_token");
        client.get().uri("/api/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
            .expectStatus().isUnauthorized()
            .expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer .*error=\"invalid_token\".*")
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type").isEqualTo(ProblemTypes.UNAUTHORIZED.toString())
            .jsonPath("$.status").isEqualTo(401)
            .jsonPath("$.title").isEqualTo("Unauthorized");
        assertThat(failures("invalid_token")).isEqualTo(before + 1);
    }

    private double failures(String reason) {
        return meters.get("asyncpatterns.security.auth.failures").tag("reason", reason).counter().count();
    }

    @Test
    void aValidTokenIsAccepted() {
        client.get().uri("/api/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer " + SecurityFixtures.jwt("carol", READ))
            .exchange().expectStatus().isOk();
    }

    @Test
    void anExpiredTokenIsRefused() {
        // Past the decoder's 60 s clock skew.
        Instant now = Instant.now();
        assertRefused(SecurityFixtures.sign(SecurityFixtures.TRUSTED, SecurityFixtures.claims("carol", READ,
                SecurityFixtures.AUDIENCE, now.minusSeconds(3600), now.minusSeconds(600))));
    }

    @Test
    void aTokenNotYetValidIsRefused() {
        Instant now = Instant.now();
        assertRefused(SecurityFixtures.sign(SecurityFixtures.TRUSTED, SecurityFixtures.claims("carol", READ,
                SecurityFixtures.AUDIENCE, now.plusSeconds(600), now.plusSeconds(3600))));
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() {
        Instant now = Instant.now();
        assertRefused(SecurityFixtures.sign(SecurityFixtures.FOREIGN, SecurityFixtures.claims("carol", READ,
                SecurityFixtures.AUDIENCE, now.minusSeconds(10), now.plusSeconds(600))));
    }

    @Test
    void anUnsignedTokenWithAlgNoneIsRefused() {
        Instant now = Instant.now();
        assertRefused(SecurityFixtures.unsigned(SecurityFixtures.claims("carol", READ, SecurityFixtures.AUDIENCE,
                now.minusSeconds(10), now.plusSeconds(600))));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        Instant now = Instant.now();
        assertRefused(SecurityFixtures.sign(SecurityFixtures.TRUSTED, SecurityFixtures.claims("carol", READ,
                "someone-else", now.minusSeconds(10), now.plusSeconds(600))));
    }

    @Test
    void aTamperedTokenIsRefused() {
        String token = SecurityFixtures.jwt("carol", READ);
        String[] parts = token.split("\\.");
        String forged = SecurityFixtures.unsigned(SecurityFixtures.claims("mallory", "asyncpatterns.write asyncpatterns.monitor",
                SecurityFixtures.AUDIENCE, Instant.now().minusSeconds(10), Instant.now().plusSeconds(600))).split("\\.")[1];
        assertRefused(parts[0] + "." + forged + "." + parts[2]);
    }

    @Test
    void aValidTokenWithoutOurScopesIsForbidden() {
        double before = failures("forbidden");
        client.get().uri("/api/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer " + SecurityFixtures.jwt("carol", "openid"))
            .exchange().expectStatus().isForbidden()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.FORBIDDEN.toString());
        assertThat(failures("forbidden")).isEqualTo(before + 1);
    }
}
