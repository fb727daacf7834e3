package dev.asyncpatterns.web;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import dev.asyncpatterns.runtime.WorkSchedulers;
import reactor.core.publisher.Mono;

/**
 * Serves springdoc's OpenAPI endpoints on the bounded blocking scheduler. springdoc builds its
 * document under a {@code ReentrantLock}, reading class files as it goes; with pre-loading that
 * build runs on a thread of its own at start, and a request arriving meanwhile would park an
 * event loop on the lock for as long as the build takes (BlockHound caught it in a test).
 * Everything else stays on the event loop.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiDocsOffEventLoop extends NamedWebFilter {

    private final String apiDocsPath;
    private final WorkSchedulers schedulers;

    ApiDocsOffEventLoop(@Value("${springdoc.api-docs.path:/v3/api-docs}") String apiDocsPath,
            WorkSchedulers schedulers) {
        this.apiDocsPath = apiDocsPath;
        this.schedulers = schedulers;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().value().startsWith(apiDocsPath)) {
            return chain.filter(exchange);
        }
        // The handler builds (or reads) the document when subscribed: subscribe on a thread that may wait.
        return chain.filter(exchange).subscribeOn(schedulers.blocking());
    }
}
