package dev.asyncpatterns.testsupport;

import java.util.List;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads each response body whole as it arrives and hands the test a heap copy, so a body a test
 * never reads cannot leak. WebTestClient reads a body only when asked ({@code expectBody},
 * {@code returnResult}); one never asked for keeps its Netty buffers queued on the connection
 * until the garbage collector takes them, a {@code LEAK} that {@link NettyLeakCheck} fails the
 * build on, and that is a test's oversight, not the service's. With the bodies read here, a leak
 * the check reports is one the service made.
 * <p>
 * Streams (server-sent events, NDJSON) pass through untouched: a test reads them as they come,
 * and some never end. Every {@code @AutoConfigureWebTestClient} client has this filter
 * ({@link EagerResponseBodiesAutoConfiguration}); a client a test builds itself gets it from
 * {@link #bindToServer()}.
 */
public final class EagerResponseBodies implements ExchangeFilterFunction {

    private static final List<MediaType> STREAMS = List.of(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_NDJSON);

    /** A client for a running server whose response bodies are read as they arrive. */
    public static WebTestClient.Builder bindToServer() {
        return WebTestClient.bindToServer().filter(new EagerResponseBodies());
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        return next.exchange(request).flatMap(response -> isStream(response) ? Mono.just(response) : readWhole(response));
    }

    private static boolean isStream(ClientResponse response) {
        return response.headers().contentType()
            .map(type -> STREAMS.stream().anyMatch(type::isCompatibleWith))
            .orElse(false);
    }

    private static Mono<ClientResponse> readWhole(ClientResponse response) {
        // The function ignores the body it is given: that body is read here already, and its
        // buffers are released once copied.
        return DataBufferUtils.join(response.bodyToFlux(DataBuffer.class))
            .map(EagerResponseBodies::heapCopy)
            .map(copy -> response.mutate().body(read -> Flux.just(copy)).build())
            .switchIfEmpty(Mono.fromSupplier(() -> response.mutate().body(read -> Flux.empty()).build()))
            // A body that breaks off mid-way fails where the test reads it, as it did unfiltered.
            .onErrorResume(ex -> Mono.just(response.mutate().body(read -> Flux.error(ex)).build()));
    }

    private static DataBuffer heapCopy(DataBuffer joined) {
        try {
            byte[] bytes = new byte[joined.readableByteCount()];
            joined.read(bytes);
            return DefaultDataBufferFactory.sharedInstance.wrap(bytes);
        }
        finally {
            DataBufferUtils.release(joined);
        }
    }
}
