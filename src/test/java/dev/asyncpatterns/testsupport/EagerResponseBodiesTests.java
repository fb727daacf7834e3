package dev.asyncpatterns.testsupport;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class EagerResponseBodiesTests {

    private static final Duration VERIFY = Duration.ofSeconds(5);

    private static final ClientRequest REQUEST = ClientRequest.create(HttpMethod.GET, URI.create("http://localhost/x")).build();

    private final NettyDataBufferFactory netty = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);

    private ByteBuf nettyBuffer(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    private ClientResponse filtered(MediaType type, Flux<DataBuffer> body) {
        ClientResponse response = ClientResponse.create(HttpStatus.OK)
            .header(HttpHeaders.CONTENT_TYPE, type.toString())
            .body(body)
            .build();
        return new EagerResponseBodies().filter(REQUEST, request -> Mono.just(response)).block(VERIFY);
    }

    @Test
    void aBodyIsReadAndItsBuffersReleasedBeforeTheTestSeesTheResponse() {
        ByteBuf first = nettyBuffer("{\"a\":");
        ByteBuf second = nettyBuffer("1}");

        ClientResponse response = filtered(MediaType.APPLICATION_JSON, Flux.just(netty.wrap(first), netty.wrap(second)));

        // Released though the test has not read the body (and may never).
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
        StepVerifier.create(response.bodyToMono(String.class)).expectNext("{\"a\":1}").expectComplete().verify(VERIFY);
    }

    @Test
    void anEmptyBodyStaysEmpty() {
        ClientResponse response = filtered(MediaType.APPLICATION_JSON, Flux.empty());

        StepVerifier.create(response.bodyToMono(String.class)).expectComplete().verify(VERIFY);
    }

    @Test
    void aBodyThatBreaksOffFailsWhereTheTestReadsIt() {
        ByteBuf first = nettyBuffer("{\"a\":");
        IllegalStateException reset = new IllegalStateException("connection reset");

        ClientResponse response = filtered(MediaType.APPLICATION_JSON,
                Flux.concat(Mono.just(netty.wrap(first)), Mono.error(reset)));

        assertThat(response.statusCode()).isEqualTo(HttpStatus.OK);
        assertThat(first.refCnt()).isZero();
        StepVerifier.create(response.bodyToMono(String.class)).expectErrorMatches(reset::equals).verify(VERIFY);
    }

    @Test
    void streamsPassThroughUnread() {
        for (MediaType stream : new MediaType[] {MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_NDJSON}) {
            ByteBuf event = nettyBuffer("data: 1\n\n");

            // A stream that never ends: read here, the exchange would never answer.
            ClientResponse response = filtered(stream, Flux.concat(Mono.just(netty.wrap(event)), Flux.never()));

            assertThat(event.refCnt()).as("%s read by the filter", stream).isEqualTo(1);
            StepVerifier.create(response.bodyToFlux(DataBuffer.class).take(1))
                .assertNext(DataBufferUtils::release)
                .expectComplete()
                .verify(VERIFY);
        }
    }
}
