package dev.asyncpatterns.security;

import java.net.InetSocketAddress;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import dev.asyncpatterns.web.ProblemWriter;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-caller bucket map: anonymous callers count per IP, named ones per name, and the map stays bounded. */
class CallerRateLimiterTests {

    private static final Duration VERIFY = Duration.ofSeconds(5);
    private static final WebFilterChain PASS = exchange -> Mono.empty();

    private final CallerRateLimiter limiter = new CallerRateLimiter(
            new AccessControlProperties.RateLimit(1, Duration.ofMinutes(1), 3), new ProblemWriter(JsonMapper.builder().build()), null);

    private static MockServerWebExchange from(String ip, String name) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/jobs")
            .remoteAddress(new InetSocketAddress(ip, 40_000)));
        if (name != null) {
            exchange.getAttributes().put(Callers.NAME, name);
        }
        return exchange;
    }

    private HttpStatus status(MockServerWebExchange exchange) {
        limiter.filter(exchange, PASS).block(VERIFY);
        return exchange.getResponse().getStatusCode() == null ? HttpStatus.OK
                : HttpStatus.valueOf(exchange.getResponse().getStatusCode().value());
    }

    @Test
    void anonymousCallersAreLimitedPerIpAndNamedCallersPerName() {
        assertThat(status(from("10.0.0.1", null))).isEqualTo(HttpStatus.OK);
        assertThat(status(from("10.0.0.1", null))).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(status(from("10.0.0.2", null))).isEqualTo(HttpStatus.OK);
        assertThat(status(from("10.0.0.1", "alice"))).isEqualTo(HttpStatus.OK);
        assertThat(status(from("10.0.0.2", "alice"))).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    }

    @Test
    void theBucketMapNeverHoldsMoreCallersThanConfigured() {
        for (int i = 0; i < 100; i++) {
            status(from("10.0.1." + i, null));
        }
        assertThat(limiter.trackedCallers()).isEqualTo(3);
    }

    @Test
    void pathsOutsideTheApiAreNotLimited() {
        for (int i = 0; i < 5; i++) {
            MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/sim/delay/0")
                .remoteAddress(new InetSocketAddress("10.0.2.1", 40_000)));
            limiter.filter(exchange, PASS).block(VERIFY);
            assertThat(exchange.getResponse().getStatusCode()).isNull();
        }
        assertThat(limiter.trackedCallers()).isZero();
    }
}
