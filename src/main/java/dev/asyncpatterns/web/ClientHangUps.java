package dev.asyncpatterns.web;

import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import reactor.core.publisher.Mono;

/**
 * A client that hangs up mid-request (Reactor Netty's {@code AbortedException}, a reset or broken
 * pipe) is normal traffic, not a failure of the service: it is logged at DEBUG in one line and
 * counted in {@code asyncpatterns.http.client.aborted}, instead of an ERROR with a stack trace per
 * hang-up that a client could use to flood the log. Spring's {@link DisconnectedClientHelper}
 * decides what a hang-up is. The API advice hands its hang-ups here; as a web exception handler,
 * ordered before {@link ProblemWebExceptionHandler}, it takes those raised outside a controller.
 */
@Component
@Order(-3)
class ClientHangUps implements WebExceptionHandler, MeterBinder {

    static final String METER = "asyncpatterns.http.client.aborted";

    private static final Logger log = LoggerFactory.getLogger(ClientHangUps.class);

    // Counted here and read by the meter, so hang-ups count even before (or without) a registry.
    private final LongAdder hangUps = new LongAdder();

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        return record(exchange, ex) ? Mono.empty() : Mono.error(ex);
    }

    /** Logs and counts {@code ex} if it is a hang-up; {@code false} leaves it to the caller. */
    boolean record(ServerWebExchange exchange, Throwable ex) {
        if (!DisconnectedClientHelper.isClientDisconnectedException(ex)) {
            return false;
        }
        hangUps.increment();
        log.debug("Client hung up during {} {}: {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), ex.toString());
        return true;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder(METER, hangUps, LongAdder::doubleValue)
            .description("Requests whose client closed the connection before the answer")
            .register(registry);
    }
}
