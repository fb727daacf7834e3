package dev.asyncpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.MatcherSecurityWebFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link FirstMatchingChain} serves a request as Spring Security's own proxy does: every case here
 * runs through both, and both must leave the same trace of filters, handlers and the rest of the
 * chain.
 */
class FirstMatchingChainTests {

    private static final ServerWebExchangeMatcher NO = exchange -> ServerWebExchangeMatcher.MatchResult.notMatch();
    private static final ServerWebExchangeMatcher ANY = ServerWebExchangeMatchers.anyExchange();

    private final List<String> trace = new ArrayList<>();

    @Test
    void theFirstMatchingChainsFiltersRunInOrderThenTheRest() {
        List<SecurityWebFilterChain> chains = List.of(chain(NO, "a"), chain(ANY, "b1", "b2"), chain(ANY, "c"));

        assertBothServe(chains, "/api/jobs", rest(), "b1", "b2", "rest");
    }

    @Test
    void aChainWhoseMatcherAnswersNothingIsPassedOver() {
        SecurityWebFilterChain silent = new SecurityWebFilterChain() {
            @Override
            public Mono<Boolean> matches(ServerWebExchange exchange) {
                return Mono.empty();
            }

            @Override
            public Flux<WebFilter> getWebFilters() {
                return Flux.just(marking("silent"));
            }
        };

        assertBothServe(List.of(silent, chain(ANY, "b")), "/api/jobs", rest(), "b", "rest");
    }

    @Test
    void withNoChainMatchingTheRestRunsAlone() {
        assertBothServe(List.of(chain(NO, "a"), chain(NO, "b")), "/sim/status/200", rest(), "rest");
    }

    @Test
    void aRequestTheFirewallRefusesGoesToTheRejectedHandlerAndNoFurther() {
        assertBothServe(List.of(chain(ANY, "a")), "/api/jobs/x/..;/y", rest(), "rejected");
    }

    @Test
    void aRejectionRaisedFurtherDownTheChainGoesToTheRejectedHandlerToo() {
        WebFilterChain refusing = exchange -> {
            trace.add("rest");
            return Mono.error(new ServerExchangeRejectedException("a header read late"));
        };

        assertBothServe(List.of(chain(ANY, "a")), "/api/jobs", refusing, "a", "rest", "rejected");
    }

    @Test
    void aFiltersErrorCarriesTheFiltersCheckpointAsInSpringsChain() {
        WebFilter failing = new WebFilter() {
            @Override
            public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
                return Mono.error(new IllegalStateException("boom"));
            }

            @Override
            public String toString() {
                return "the failing filter";
            }
        };
        List<SecurityWebFilterChain> chains = List.of(new MatcherSecurityWebFilterChain(ANY, List.of(failing)));
        ServerExchangeRejectedHandler rejected = (exchange, ex) -> Mono.empty();

        assertThat(traceback(springsProxy(chains, rejected))).as("Spring Security's proxy").contains("the failing filter");
        assertThat(traceback(new FirstMatchingChain(chains, RequestFirewall.create(), rejected)))
            .as("FirstMatchingChain").contains("the failing filter");
    }

    /** The assembly traceback Reactor adds to an error for the checkpoints it passed. */
    private String traceback(WebFilter proxy) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/jobs"));
        Throwable error = proxy.filter(exchange, rest()).then(Mono.<Throwable>empty())
            .onErrorResume(Mono::just)
            .block(Duration.ofSeconds(5));
        assertThat(error).hasMessage("boom");
        return Arrays.stream(error.getSuppressed()).map(Throwable::getMessage).collect(Collectors.joining("\n"));
    }

    private void assertBothServe(List<SecurityWebFilterChain> chains, String path, WebFilterChain rest,
            String... expected) {
        ServerExchangeRejectedHandler rejected = (exchange, ex) -> Mono.fromRunnable(() -> trace.add("rejected"));
        List<String> springs = serve(springsProxy(chains, rejected), path, rest);
        List<String> ours = serve(new FirstMatchingChain(chains, RequestFirewall.create(), rejected), path, rest);

        assertThat(springs).as("Spring Security's proxy").containsExactly(expected);
        assertThat(ours).as("FirstMatchingChain").containsExactly(expected);
    }

    private static WebFilterChainProxy springsProxy(List<SecurityWebFilterChain> chains,
            ServerExchangeRejectedHandler rejected) {
        WebFilterChainProxy proxy = new WebFilterChainProxy(chains);
        proxy.setFirewall(RequestFirewall.create());
        proxy.setExchangeRejectedHandler(rejected);
        return proxy;
    }

    private List<String> serve(WebFilter proxy, String path, WebFilterChain rest) {
        trace.clear();
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(path));
        proxy.filter(exchange, rest).block(Duration.ofSeconds(5));
        return List.copyOf(trace);
    }

    private WebFilterChain rest() {
        return exchange -> Mono.fromRunnable(() -> trace.add("rest"));
    }

    private SecurityWebFilterChain chain(ServerWebExchangeMatcher matcher, String... names) {
        return new MatcherSecurityWebFilterChain(matcher, List.of(names).stream().map(this::marking).toList());
    }

    private WebFilter marking(String name) {
        return (exchange, chain) -> {
            trace.add(name);
            return chain.filter(exchange);
        };
    }
}
