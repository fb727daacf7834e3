package dev.asyncpatterns.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of API.md × every kind of caller, with credentials configured: each cell's status.
 * Allowed cells answer what the endpoint answers (an unknown job id 404, a malformed body 400,
 * which proves the call got past access control); refused cells answer 401 (no or bad credential)
 * or 403 (a role too weak). BlockHound runs throughout, so key hashing and JWT checks on the
 * event loop are proven non-blocking too. Every answer, refused or not, carries the security headers.
 */
class AccessMatrixIntegrationTests extends SecuredContext {

    /** Anything but 401 and 403: for public paths whose content is someone else's (the dashboard). */
    private static final int NOT_REFUSED = -1;
    private static final String UNKNOWN = UUID.randomUUID().toString();
    private static final String MALFORMED = "{";

    enum Access { PUBLIC, READ, WRITE, MONITOR }

    enum Caller {
        NONE(Set.of(), null, null),
        WRONG_KEY(Set.of(), "X-API-Key", "not-a-configured-key"),
        READER(EnumSet.of(Role.READER), "X-API-Key", SecurityFixtures.READER_KEY),
        OPERATOR(EnumSet.of(Role.OPERATOR), HttpHeaders.AUTHORIZATION, "Bearer " + SecurityFixtures.OPERATOR_KEY),
        MONITOR(EnumSet.of(Role.MONITOR), "X-API-Key", SecurityFixtures.MONITOR_KEY),
        JWT_READ(EnumSet.of(Role.READER), HttpHeaders.AUTHORIZATION, "Bearer " + SecurityFixtures.jwt("jwt-reader", "asyncpatterns.read")),
        JWT_WRITE(EnumSet.of(Role.OPERATOR), HttpHeaders.AUTHORIZATION, "Bearer " + SecurityFixtures.jwt("jwt-writer", "asyncpatterns.write")),
        JWT_MONITOR(EnumSet.of(Role.MONITOR), HttpHeaders.AUTHORIZATION, "Bearer " + SecurityFixtures.jwt("jwt-monitor", "asyncpatterns.monitor openid"));

        final Set<Role> roles;
        final String header;
        final String value;

        Caller(Set<Role> roles, String header, String value) {
            this.roles = roles;
            this.header = header;
            this.value = value;
        }

        boolean authenticated() {
            return this != NONE && this != WRONG_KEY;
        }
    }

    record Endpoint(HttpMethod method, String path, String body, MediaType accept, Access access, int allowed) {

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static List<Endpoint> endpoints() {
        return List.of(
            // 1. Jobs
            new Endpoint(HttpMethod.POST, "/api/jobs", "{\"type\": \"sleep\", \"params\": {\"durationMs\": 10}}", null, Access.WRITE, 202),
            new Endpoint(HttpMethod.GET, "/api/jobs", null, null, Access.READ, 200),
            new Endpoint(HttpMethod.GET, "/api/jobs/" + UNKNOWN, null, null, Access.READ, 404),
            new Endpoint(HttpMethod.GET, "/api/jobs/" + UNKNOWN + "?waitMs=10", null, null, Access.READ, 404),
            new Endpoint(HttpMethod.POST, "/api/jobs/" + UNKNOWN + "/cancel", null, null, Access.WRITE, 404),
            new Endpoint(HttpMethod.POST, "/api/jobs/" + UNKNOWN + "/callback/redeliver", null, null, Access.WRITE, 404),
            new Endpoint(HttpMethod.DELETE, "/api/jobs/" + UNKNOWN, null, null, Access.WRITE, 404),
            new Endpoint(HttpMethod.GET, "/api/jobs/" + UNKNOWN + "/events", null, MediaType.TEXT_EVENT_STREAM, Access.READ, 404),
            // 11. Schedules
            new Endpoint(HttpMethod.POST, "/api/schedules", MALFORMED, null, Access.WRITE, 400),
            new Endpoint(HttpMethod.GET, "/api/schedules", null, null, Access.READ, 200),
            new Endpoint(HttpMethod.GET, "/api/schedules/" + UNKNOWN, null, null, Access.READ, 404),
            new Endpoint(HttpMethod.POST, "/api/schedules/" + UNKNOWN + "/pause", null, null, Access.WRITE, 404),
            new Endpoint(HttpMethod.POST, "/api/schedules/" + UNKNOWN + "/resume", null, null, Access.WRITE, 404),
            new Endpoint(HttpMethod.POST, "/api/schedules/" + UNKNOWN + "/trigger", null, null, Access.WRITE, 404),
            new Endpoint(HttpMethod.DELETE, "/api/schedules/" + UNKNOWN, null, null, Access.WRITE, 404),
            // 2. Fan-out
            new Endpoint(HttpMethod.POST, "/api/fanout/gather", MALFORMED, null, Access.WRITE, 400),
            new Endpoint(HttpMethod.POST, "/api/fanout/wait", MALFORMED, null, Access.WRITE, 400),
            new Endpoint(HttpMethod.POST, "/api/fanout/first", MALFORMED, null, Access.WRITE, 400),
            new Endpoint(HttpMethod.POST, "/api/fanout/stream", MALFORMED, null, Access.WRITE, 400),
            // 3. Resilient calls
            new Endpoint(HttpMethod.POST, "/api/calls", MALFORMED, null, Access.WRITE, 400),
            new Endpoint(HttpMethod.GET, "/api/policies", null, null, Access.READ, 200),
            // 4. Patterns
            new Endpoint(HttpMethod.GET, "/api/patterns", null, null, Access.READ, 200),
            new Endpoint(HttpMethod.POST, "/api/patterns/semaphore", MALFORMED, null, Access.WRITE, 400),
            // 5. TCP client
            new Endpoint(HttpMethod.POST, "/api/tcp/echo", MALFORMED, null, Access.WRITE, 400),
            // 6. Simulated upstream
            new Endpoint(HttpMethod.GET, "/sim/delay/0", null, null, Access.PUBLIC, 200),
            new Endpoint(HttpMethod.GET, "/sim/status/204", null, null, Access.PUBLIC, 204),
            new Endpoint(HttpMethod.POST, "/sim/status/204", "{\"id\": 1}", null, Access.PUBLIC, 204),
            new Endpoint(HttpMethod.GET, "/sim/flaky?failureRate=0", null, null, Access.PUBLIC, 200),
            new Endpoint(HttpMethod.GET, "/sim/bytes/8", null, null, Access.PUBLIC, 200),
            // 7. Operations
            new Endpoint(HttpMethod.GET, "/swagger-ui.html", null, null, Access.PUBLIC, NOT_REFUSED),
            new Endpoint(HttpMethod.GET, "/v3/api-docs", null, null, Access.PUBLIC, 200),
            new Endpoint(HttpMethod.GET, "/actuator/health", null, null, Access.PUBLIC, 200),
            new Endpoint(HttpMethod.GET, "/actuator/health/readiness", null, null, Access.PUBLIC, 200),
            new Endpoint(HttpMethod.GET, "/actuator/info", null, null, Access.PUBLIC, 200),
            new Endpoint(HttpMethod.GET, "/actuator/metrics", null, null, Access.MONITOR, 200),
            new Endpoint(HttpMethod.GET, "/actuator/prometheus", null, null, Access.MONITOR, 200),
            new Endpoint(HttpMethod.GET, "/actuator/ratelimiters", null, null, Access.MONITOR, 200),
            new Endpoint(HttpMethod.GET, "/actuator/retries", null, null, Access.MONITOR, 200),
            new Endpoint(HttpMethod.GET, "/actuator/circuitbreakers", null, null, Access.MONITOR, 200),
            new Endpoint(HttpMethod.GET, "/actuator/bulkheads", null, null, Access.MONITOR, 200),
            new Endpoint(HttpMethod.GET, "/actuator", null, null, Access.MONITOR, 200),
            // 10. Dashboard (static files)
            new Endpoint(HttpMethod.GET, "/", null, null, Access.PUBLIC, 200),
            new Endpoint(HttpMethod.GET, "/index.html", null, null, Access.PUBLIC, 200),
            new Endpoint(HttpMethod.GET, "/dashboard/main.js", null, null, Access.PUBLIC, 200),
            new Endpoint(HttpMethod.GET, "/dashboard/dashboard.css", null, null, Access.PUBLIC, 200));
    }

    static Stream<Arguments> cells() {
        return endpoints().stream().flatMap(endpoint -> Arrays.stream(Caller.values())
            .map(caller -> Arguments.of(endpoint, caller, expected(endpoint, caller))));
    }

    /** The rule under test, cell by cell. */
    static int expected(Endpoint endpoint, Caller caller) {
        if (endpoint.access() == Access.PUBLIC) {
            return endpoint.allowed();
        }
        if (!caller.authenticated()) {
            return 401;
        }
        boolean allowed = switch (endpoint.access()) {
            case READ -> caller.roles.contains(Role.READER) || caller.roles.contains(Role.OPERATOR);
            case WRITE -> caller.roles.contains(Role.OPERATOR);
            case MONITOR -> caller.roles.contains(Role.MONITOR);
            case PUBLIC -> true;
        };
        return allowed ? endpoint.allowed() : 403;
    }

    @ParameterizedTest(name = "{0} as {1} answers {2}")
    @MethodSource("cells")
    void everyEndpointAnswersEachCallerAsItsRoleAllows(Endpoint endpoint, Caller caller, int expected) {
        WebTestClient.RequestBodySpec request = client.method(endpoint.method()).uri(endpoint.path())
            .accept(endpoint.accept() != null ? endpoint.accept() : MediaType.ALL);
        if (caller.header != null) {
            request.header(caller.header, caller.value);
        }
        WebTestClient.RequestHeadersSpec<?> ready = endpoint.body() != null
                ? request.contentType(MediaType.APPLICATION_JSON).bodyValue(endpoint.body())
                : request;
        EntityExchangeResult<byte[]> result = ready.exchange().expectBody().returnResult();
        int status = result.getStatus().value();
        assertThat(result.getResponseHeaders().getFirst("X-Content-Type-Options")).as("%s as %s: security headers",
                endpoint, caller).isEqualTo("nosniff");
        if (expected == NOT_REFUSED) {
            assertThat(status).as("%s as %s", endpoint, caller).isNotIn(401, 403);
            return;
        }
        assertThat(status).as("%s as %s", endpoint, caller).isEqualTo(expected);
        if (status == 401 || status == 403) {
            assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(new String(result.getResponseBodyContent())).contains("\"status\":" + status)
                .doesNotContain("<html");
            assertThat(result.getResponseHeaders().getLocation()).as("never a redirect").isNull();
        }
        if (status == 401) {
            assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
        }
    }
}
