package dev.asyncpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

/** The default security headers, as Spring Security's own writers set them, from one writer. */
class SecurityHeadersTests {

    private final SecurityHeaders writer = new SecurityHeaders();

    @Test
    void anAnswerGetsEveryDefaultHeader() {
        HttpHeaders headers = write(exchange("http://localhost/api/jobs"));

        assertThat(headers.getFirst(HttpHeaders.CACHE_CONTROL)).isEqualTo("no-cache, no-store, max-age=0, must-revalidate");
        assertThat(headers.getFirst(HttpHeaders.PRAGMA)).isEqualTo("no-cache");
        assertThat(headers.getFirst(HttpHeaders.EXPIRES)).isEqualTo("0");
        assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(headers.getFirst("X-Frame-Options")).isEqualTo("DENY");
        assertThat(headers.getFirst("X-XSS-Protection")).isEqualTo("0");
        assertThat(headers.getFirst("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(headers.containsHeader("Strict-Transport-Security")).as("HSTS only over HTTPS").isFalse();
    }

    @Test
    void anAnswerThatSaysHowToCacheKeepsItsOwnCachingAndOtherHeaders() {
        MockServerWebExchange exchange = exchange("http://localhost/x");
        exchange.getResponse().getHeaders().set(HttpHeaders.EXPIRES, "Thu, 01 Jan 2099 00:00:00 GMT");
        exchange.getResponse().getHeaders().set("x-frame-options", "SAMEORIGIN");

        HttpHeaders headers = write(exchange);

        assertThat(headers.containsHeader(HttpHeaders.CACHE_CONTROL)).isFalse();
        assertThat(headers.containsHeader(HttpHeaders.PRAGMA)).isFalse();
        assertThat(headers.get("X-Frame-Options")).containsExactly("SAMEORIGIN");
        assertThat(headers.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void aNotModifiedAnswerGetsNoCachingHeaders() {
        MockServerWebExchange exchange = exchange("http://localhost/x");
        exchange.getResponse().setStatusCode(HttpStatus.NOT_MODIFIED);

        HttpHeaders headers = write(exchange);

        assertThat(headers.containsHeader(HttpHeaders.CACHE_CONTROL)).isFalse();
        assertThat(headers.getFirst("Referrer-Policy")).isEqualTo("no-referrer");
    }

    @Test
    void httpsAnswersGetHsts() {
        assertThat(write(exchange("https://localhost/x")).getFirst("Strict-Transport-Security"))
            .isEqualTo("max-age=31536000 ; includeSubDomains");
    }

    private HttpHeaders write(MockServerWebExchange exchange) {
        writer.writeHttpHeaders(exchange).block();
        return exchange.getResponse().getHeaders();
    }

    private static MockServerWebExchange exchange(String url) {
        return MockServerWebExchange.from(MockServerHttpRequest.get(url));
    }
}
