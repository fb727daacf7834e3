package dev.asyncpatterns.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Spring Security's firewall ({@code StrictServerWebExchangeFirewall}) refuses a request whose URL
 * carries an encoded slash, period or NUL, a semicolon, a method outside the usual ones, or a
 * header with control characters. Its own handler answers an empty 400; this one (picked up by
 * {@code @EnableWebFluxSecurity} as the chain's rejected handler) answers the same 400 as problem
 * JSON, like every other error.
 */
@Component
class FirewallRejections implements ServerExchangeRejectedHandler {

    private static final Logger log = LoggerFactory.getLogger(FirewallRejections.class);

    private final ProblemWriter writer;

    FirewallRejections(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException ex) {
        // A probe is routine for a public service: one line at DEBUG, never a stack trace.
        log.debug("Firewall rejected {} {}: {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), ex.getMessage());
        return writer.write(exchange, problem(ex), HttpHeaders.EMPTY);
    }

    /** The firewall's reason names what it refused (the blocked string, the method or header name). */
    static ProblemDetail problem(ServerExchangeRejectedException ex) {
        return Problems.of(HttpStatus.BAD_REQUEST, ProblemTypes.REQUEST_REJECTED, "Request rejected",
                ex.getMessage());
    }
}
