package dev.asyncpatterns.security;

import java.time.Duration;
import java.util.List;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.SecurityWebFilterChain;

/** Which of the security chains serves a request: the first that matches it, as Spring Security's proxy picks. */
final class SecurityChains {

    private SecurityChains() {
    }

    /** {@code chains} in the order Spring injects them, which is their {@code @Order}. */
    static SecurityWebFilterChain servingChain(List<SecurityWebFilterChain> chains, String path) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(path));
        return chains.stream()
            .filter(chain -> Boolean.TRUE.equals(chain.matches(exchange).block(Duration.ofSeconds(5))))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no security chain serves " + path));
    }
}
