package dev.asyncpatterns.web;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * An {@code Accept} header that does not parse gets its 406 as problem JSON here, before dispatch:
 * Spring answers it 406 too, but writes the error without a body, because choosing the body's
 * media type means reading that same header again.
 */
@Component
class AcceptHeaderCheck extends NamedWebFilter {

    private final ProblemWriter writer;

    AcceptHeaderCheck(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        List<String> accept = exchange.getRequest().getHeaders().get(HttpHeaders.ACCEPT);
        if (accept == null) {
            return chain.filter(exchange);
        }
        try {
            MediaType.parseMediaTypes(accept);
        }
        catch (IllegalArgumentException unparsable) {
            return writer.write(exchange, Problems.of(HttpStatus.NOT_ACCEPTABLE, ProblemTypes.NOT_ACCEPTABLE,
                    "Not Acceptable", "The Accept header could not be parsed: " + unparsable.getMessage()),
                    HttpHeaders.EMPTY);
        }
        return chain.filter(exchange);
    }
}
