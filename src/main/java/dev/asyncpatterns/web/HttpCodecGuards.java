package dev.asyncpatterns.web;

import java.time.Duration;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Puts the service's handlers around the HTTP/1.1 codec of every connection: a
 * {@link ChunkedBodyWatch}, so broken chunked framing is refused at its first wrong byte rather
 * than at the read timeout, a {@link BodyReadTimeout}, so a body that stops short is answered 408,
 * a {@link LastRequestOrdering}, so a last request sent early is served rather than left hanging,
 * and {@link BodilessRefusals}, so what is refused below the service is answered as problem JSON.
 * Connections without that codec at set-up (none, with the default HTTP/1.1-only server) go
 * without them.
 */
@Component
class HttpCodecGuards implements NettyServerCustomizer {

    private final BodilessRefusals bodilessRefusals;
    private final Duration readTimeout;

    HttpCodecGuards(JsonMapper jsonMapper, HttpEdgeProperties properties, MeterRegistry meters) {
        this.bodilessRefusals = new BodilessRefusals(jsonMapper, meters);
        this.readTimeout = properties.readTimeout();
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, remoteAddress) -> guard(channel.pipeline()));
    }

    private void guard(ChannelPipeline pipeline) {
        if (pipeline.get(NettyPipeline.HttpCodec) instanceof HttpServerCodec) {
            ChunkedBodyWatch watch = new ChunkedBodyWatch();
            pipeline.addBefore(NettyPipeline.HttpCodec, "asyncpatterns.chunkedBodyBytes", watch.bytes())
                .addAfter(NettyPipeline.HttpCodec, "asyncpatterns.chunkedBodyRequests", watch.requests())
                .addAfter("asyncpatterns.chunkedBodyRequests", "asyncpatterns.bodyReadTimeout", new BodyReadTimeout(readTimeout))
                .addAfter("asyncpatterns.bodyReadTimeout", "asyncpatterns.lastRequestOrdering", new LastRequestOrdering())
                .addAfter("asyncpatterns.lastRequestOrdering", "asyncpatterns.bodilessRefusals", bodilessRefusals);
        }
    }
}
