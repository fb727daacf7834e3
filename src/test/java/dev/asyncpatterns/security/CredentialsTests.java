package dev.asyncpatterns.security;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a credential from a request and checking an API key against its configured SHA-256. */
class CredentialsTests {

    private static final Duration VERIFY = Duration.ofSeconds(5);

    private final Credentials credentials = new Credentials(new ApiKeyAuthenticationManager(List.of(
            new AccessControlProperties.ApiKey("alice", SecurityFixtures.sha256Hex("alice-key").toUpperCase(),
                    List.of(Role.OPERATOR, Role.MONITOR)),
            new AccessControlProperties.ApiKey("bob", SecurityFixtures.sha256Hex("bob-key"), List.of(Role.READER)))),
            null);

    private static MockServerWebExchange request(String header, String value) {
        return MockServerWebExchange.from(MockServerHttpRequest.get("/api/jobs").header(header, value));
    }

    @Test
    void anApiKeyHeaderAndABearerHeaderBothCarryTheCredential() {
        StepVerifier.create(credentials.convert(request("X-API-Key", " alice-key ")))
            .assertNext(token -> assertThat(token.getCredentials()).isEqualTo("alice-key"))
            .expectComplete().verify(VERIFY);
        StepVerifier.create(credentials.convert(request(HttpHeaders.AUTHORIZATION, "bearer bob-key")))
            .assertNext(token -> assertThat(token.getCredentials()).isEqualTo("bob-key"))
            .expectComplete().verify(VERIFY);
    }

    @Test
    void otherAuthorizationSchemesAndBlankValuesCarryNone() {
        StepVerifier.create(credentials.convert(request(HttpHeaders.AUTHORIZATION, "Basic YWxpY2U6cHc="))).expectComplete()
            .verify(VERIFY);
        StepVerifier.create(credentials.convert(request(HttpHeaders.AUTHORIZATION, "Bearer  "))).expectComplete()
            .verify(VERIFY);
        StepVerifier.create(credentials.convert(MockServerWebExchange.from(MockServerHttpRequest.get("/api/jobs"))))
            .expectComplete().verify(VERIFY);
    }

    @Test
    void aConfiguredKeyAuthenticatesAsItsNameWithItsRolesAndNoCredentialKept() {
        StepVerifier.create(credentials.authenticate(new BearerTokenAuthenticationToken("alice-key")))
            .assertNext(authentication -> {
                assertThat(authentication.getName()).isEqualTo("alice");
                assertThat(authentication.isAuthenticated()).isTrue();
                assertThat(authentication.getCredentials()).isNull();
                assertThat(authentication.getAuthorities()).extracting(GrantedAuthority::getAuthority)
                    .containsExactlyInAnyOrder("ROLE_operator", "ROLE_monitor");
            })
            .expectComplete().verify(VERIFY);
    }

    @Test
    void anUnknownKeyOrAJwtShapedValueWithoutAnIssuerIsRefused() {
        for (String key : List.of("alice-key ", "Alice-key", "x", "a.b.c")) {
            StepVerifier.create(credentials.authenticate(new BearerTokenAuthenticationToken(key)).map(Authentication::getName))
                .expectError(BadCredentialsException.class).verify(VERIFY);
        }
    }
}
