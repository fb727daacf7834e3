package dev.asyncpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The service's request mappings skip what cannot match a request's first path segment, and
 * never skip a mapping that matches: checked against a request for every path the service maps.
 */
@SpringBootTest
class RequestMappingsByFirstSegmentIntegrationTests {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingsByFirstSegment.Mapping mapping;

    @Test
    void aRequestForTheSimulatedUpstreamSkipsTheApisMappings() {
        MockServerWebExchange exchange = exchange(HttpMethod.GET, "/sim/delay/200");
        Map<RequestMappingInfo, HandlerMethod> all = mapping.getHandlerMethods();

        Set<String> asked = new TreeSet<>();
        Set<String> skipped = new TreeSet<>();
        all.keySet().forEach(info -> (mapping.mayMatch(info, exchange) ? asked : skipped).addAll(paths(info)));

        assertThat(asked).contains("/sim/delay/{ms}").allMatch(path -> path.startsWith("/sim/"));
        assertThat(skipped).contains("/api/jobs/{id}", "/api/jobs").noneMatch(path -> path.startsWith("/sim/"));
    }

    @Test
    void noMappingIsSkippedByARequestItMatches() {
        Map<RequestMappingInfo, HandlerMethod> all = mapping.getHandlerMethods();
        Set<RequestMappingInfo> matched = new HashSet<>();
        for (RequestMappingInfo mapped : all.keySet()) {
            for (String path : paths(mapped)) {
                for (HttpMethod method : methods(mapped)) {
                    MockServerWebExchange exchange = exchange(method, concrete(path));
                    for (RequestMappingInfo info : all.keySet()) {
                        if (info.getMatchingCondition(exchange) != null) {
                            matched.add(info);
                            assertThat(mapping.mayMatch(info, exchange)).as("%s %s by %s", method, path, info).isTrue();
                        }
                    }
                }
            }
        }
        assertThat(all.keySet()).as("each mapping matched by a request for its own path").isSubsetOf(matched);
    }

    @Test
    void theFirstSegmentIsComparedAsPathsMatchIt() throws Exception {
        HandlerMethod handler = (HandlerMethod) mapping.getHandler(exchange(HttpMethod.GET, "/s%69m/delay/0")).block();

        assertThat(handler).isNotNull();
        assertThat(handler.getMethod().getName()).isEqualTo("delay");
    }

    private static MockServerWebExchange exchange(HttpMethod method, String path) {
        return MockServerWebExchange.from(MockServerHttpRequest.method(method, URI.create(path))
            .contentType(MediaType.APPLICATION_JSON));
    }

    private static Set<HttpMethod> methods(RequestMappingInfo info) {
        Set<HttpMethod> methods = new HashSet<>();
        info.getMethodsCondition().getMethods().forEach(method -> methods.add(method.asHttpMethod()));
        return methods.isEmpty() ? Set.of(HttpMethod.GET) : methods;
    }

    private static Set<String> paths(RequestMappingInfo info) {
        Set<String> paths = new TreeSet<>();
        info.getPatternsCondition().getPatterns().stream().map(PathPattern::getPatternString).forEach(paths::add);
        return paths;
    }

    /** A request path the pattern matches: each variable given a value. */
    private static String concrete(String pattern) {
        return pattern.replaceAll("\\{\\*[^}]+}", "a/b").replaceAll("\\{[^}]+}", "1").replace("**", "a/b").replace('*', 'a');
    }
}
