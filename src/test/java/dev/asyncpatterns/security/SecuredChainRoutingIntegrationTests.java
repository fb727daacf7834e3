package dev.asyncpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.header.HttpHeaderWriterWebFilter;
import org.springframework.web.server.WebFilter;

/**
 * With credentials configured, the public paths take the short chain (the audit line and the
 * security headers; the rate limit is off here) and {@code /api} and {@code /actuator} the full
 * one, with authentication. What each caller gets on every path is AccessMatrixIntegrationTests'.
 */
class SecuredChainRoutingIntegrationTests extends SecuredContext {

    @Autowired
    private List<SecurityWebFilterChain> chains;

    @ParameterizedTest
    @ValueSource(strings = {"/sim/status/200", "/sim/delay/0", "/", "/index.html", "/dashboard/main.js",
        "/swagger-ui.html", "/v3/api-docs", "/apis", "/actuators/x"})
    void aPublicPathTakesTheShortChain(String path) {
        assertThat(filterClasses(path)).containsExactly(AuditLog.class, HttpHeaderWriterWebFilter.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api", "/api/", "/api/jobs", "/api/jobs/x/cancel", "/api/unknown", "/actuator",
        "/actuator/health", "/actuator/health/readiness", "/actuator/info", "/actuator/prometheus"})
    void apiAndActuatorTakeTheChainThatAuthenticates(String path) {
        assertThat(filterClasses(path)).contains(AuditLog.class, HttpHeaderWriterWebFilter.class,
                AuthenticationWebFilter.class);
    }

    @Test
    void bothChainsShareOneAuditLineAndOneHeaderWriter() {
        List<WebFilter> publicFilters = filters("/sim/status/200");
        List<WebFilter> guardedFilters = filters("/api/jobs");

        assertThat(guardedFilters).contains(publicFilters.toArray(WebFilter[]::new));
    }

    private List<Class<?>> filterClasses(String path) {
        return filters(path).stream().<Class<?>>map(Object::getClass).toList();
    }

    private List<WebFilter> filters(String path) {
        return SecurityChains.servingChain(chains, path).getWebFilters().collectList().block(Duration.ofSeconds(5));
    }
}
