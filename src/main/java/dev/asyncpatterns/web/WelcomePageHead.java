package dev.asyncpatterns.web;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * {@code HEAD /} answers like {@code GET /}: Boot routes the dashboard's welcome page for GET only
 * (annotated controllers and static resources answer HEAD themselves), so a HEAD of the root
 * (monitors, {@code curl -I}) found nothing. The request goes on as a GET to the same route; the
 * server already drops the body of a response to HEAD and keeps its headers. This runs after the
 * security filters, which see the HEAD as sent.
 */
@Component
class WelcomePageHead extends NamedWebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (request.getMethod() != HttpMethod.HEAD || !"/".equals(request.getPath().pathWithinApplication().value())) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate().request(request.mutate().method(HttpMethod.GET).build()).build());
    }
}
