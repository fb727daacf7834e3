package dev.asyncpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;

/** The matcher must answer as Spring Security's {@code pathMatchers} would, only at once. */
class PathPatternMatcherTests {

    private static final List<String> PATHS = List.of("/", "/api", "/api/", "/api/jobs", "/api/jobs/",
            "/api/jobs/abc/cancel", "/apix", "/API/jobs", "/api/jobs;a=b", "/api/%6Aobs", "/actuator", "/actuator/",
            "/actuator/health", "/actuator/health/readiness", "/actuator/healthx", "/actuator/info", "/actuator/info/x",
            "/actuator/prometheus", "/sim/status/200", "/swagger-ui.html", "/v3/api-docs");
    private static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
            HttpMethod.DELETE, HttpMethod.OPTIONS);
    private static final List<String[]> PATTERN_SETS = List.of(new String[] {"/api/**", "/actuator", "/actuator/**"},
            new String[] {"/api/**", "/actuator/**"}, new String[] {"/actuator/health", "/actuator/health/**", "/actuator/info"},
            new String[] {"/api/jobs", "/api/jobs/**"}, new String[] {"api/**"});

    @Test
    void answersAsSpringSecuritysPathMatchersForEveryMethodAndPath() {
        for (String[] patterns : PATTERN_SETS) {
            compare(PathPatternMatcher.of(patterns), ServerWebExchangeMatchers.pathMatchers(patterns));
            compare(PathPatternMatcher.of(patterns).negate(),
                    new NegatedServerWebExchangeMatcher(ServerWebExchangeMatchers.pathMatchers(patterns)));
            for (HttpMethod method : METHODS) {
                compare(PathPatternMatcher.of(method, patterns), ServerWebExchangeMatchers.pathMatchers(method, patterns));
            }
        }
    }

    @Test
    void aMatchCarriesNoVariablesAndTestSaysTheSame() {
        PathPatternMatcher matcher = PathPatternMatcher.of(HttpMethod.GET, "/api/**");
        ServerWebExchange get = exchange(HttpMethod.GET, "/api/jobs");
        ServerWebExchange post = exchange(HttpMethod.POST, "/api/jobs");

        ServerWebExchangeMatcher.MatchResult match = matcher.matches(get).block(Duration.ofSeconds(1));

        assertThat(match.isMatch()).isTrue();
        assertThat(match.getVariables()).isEmpty();
        assertThat(matcher.test(get)).isTrue();
        assertThat(matcher.test(post)).isFalse();
        assertThat(matcher.negate().test(post)).isTrue();
        assertThat(matcher.negate()).hasToString("not GET [/api/**]");
    }

    private static void compare(ServerWebExchangeMatcher ours, ServerWebExchangeMatcher springs) {
        for (HttpMethod method : METHODS) {
            for (String path : PATHS) {
                ServerWebExchange exchange = exchange(method, path);
                assertThat(isMatch(ours, exchange)).as("%s on %s %s", ours, method, path)
                    .isEqualTo(isMatch(springs, exchange));
            }
        }
    }

    private static boolean isMatch(ServerWebExchangeMatcher matcher, ServerWebExchange exchange) {
        return matcher.matches(exchange).block(Duration.ofSeconds(1)).isMatch();
    }

    private static ServerWebExchange exchange(HttpMethod method, String path) {
        return MockServerWebExchange.from(MockServerHttpRequest.method(method, path).build());
    }
}
