package dev.asyncpatterns.security;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Spring Security's filter chain proxy, doing what it does per request in fewer steps: the
 * firewall, then the first security chain that matches, its filters, and the rest of the
 * application's chain; a firewall rejection, whenever it is thrown, goes to the rejected handler.
 * Spring Security's own proxy picks the chain with a {@code Flux} of the chains filtered one by
 * one ({@code filterWhen}), then collects the chosen chain's filters into a new list, on every
 * request: a dozen operators and their subscriptions, for a choice between two chains whose
 * filters never change. Here the chains are asked in turn, each one's filters listed once at
 * start. The chosen chain's filters run as in Spring's {@code DefaultWebFilterChain}: each invoked
 * when its turn is subscribed, its {@code Mono} labelled with a checkpoint for an error's trace;
 * the labels ({@code toString()}, which for most of Spring Security's filters formats the identity
 * hash code) are taken once at start rather than on every request.
 *
 * <p>It takes the place of the proxy {@code @EnableWebFluxSecurity} builds, with the same chains,
 * firewall and rejected handler (see {@link SecurityConfiguration}); it extends that proxy's class
 * only to stand where the type is expected, and none of its code runs. That proxy's observation
 * decorator is not carried over: security observations are off
 * ({@code SecurityObservationSettings.noObservations()}), and the proxy then has none.
 */
final class FirstMatchingChain extends WebFilterChainProxy {

    private record Candidate(SecurityWebFilterChain chain, List<WebFilter> filters, List<String> labels) {

        Candidate(SecurityWebFilterChain chain, List<WebFilter> filters) {
            this(chain, filters, filters.stream().map(WebFilter::toString).toList());
        }

        /** This chain's filters, then {@code rest}. */
        WebFilterChain before(WebFilterChain rest) {
            WebFilterChain next = rest;
            for (int i = filters.size() - 1; i >= 0; i--) {
                next = new Link(filters.get(i), labels.get(i), next);
            }
            return next;
        }
    }

    private record Link(WebFilter filter, String label, WebFilterChain next) implements WebFilterChain {

        @Override
        public Mono<Void> filter(ServerWebExchange exchange) {
            return Mono.defer(() -> filter.filter(exchange, next).checkpoint(label));
        }
    }

    private final List<Candidate> candidates;
    private final ServerWebExchangeFirewall firewall;
    private final ServerExchangeRejectedHandler rejectedHandler;

    FirstMatchingChain(List<SecurityWebFilterChain> chains, ServerWebExchangeFirewall firewall,
            ServerExchangeRejectedHandler rejectedHandler) {
        super(chains);
        this.candidates = chains.stream().map(chain -> new Candidate(chain, filtersOf(chain))).toList();
        this.firewall = firewall;
        this.rejectedHandler = rejectedHandler;
    }

    /**
     * The chains here ({@code MatcherSecurityWebFilterChain}) list fixed filters from a list; one
     * that could not list them at once would be refused at start rather than served partly.
     */
    private static List<WebFilter> filtersOf(SecurityWebFilterChain chain) {
        CompletableFuture<List<WebFilter>> filters = chain.getWebFilters().collectList().toFuture();
        if (!filters.isDone()) {
            throw new IllegalStateException("Security chain " + chain + " does not list its filters at once");
        }
        return filters.join();
    }

    /** The application's filter chain labels this filter's checkpoint with it on every request. */
    @Override
    public String toString() {
        return "FirstMatchingChain";
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return firewall.getFirewalledExchange(exchange)
            .flatMap(firewalled -> filterFrom(0, firewalled, chain))
            .onErrorResume(ServerExchangeRejectedException.class,
                    rejected -> rejectedHandler.handle(exchange, rejected).then(Mono.empty()));
    }

    /** The first chain from {@code index} on that matches, as {@code filterWhen} picked it: an empty answer is no. */
    private Mono<Void> filterFrom(int index, ServerWebExchange exchange, WebFilterChain rest) {
        if (index == candidates.size()) {
            return rest.filter(exchange);
        }
        Candidate candidate = candidates.get(index);
        return candidate.chain().matches(exchange)
            .defaultIfEmpty(false)
            .flatMap(matched -> matched
                    ? candidate.before(rest).filter(exchange)
                    : filterFrom(index + 1, exchange, rest));
    }
}
