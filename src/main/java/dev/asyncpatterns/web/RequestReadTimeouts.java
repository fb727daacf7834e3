package dev.asyncpatterns.web;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

import reactor.netty.http.server.HttpServer;

/**
 * Bounds how long a request's body may take to arrive, with Reactor Netty's own timer: a client
 * that announces a body and then trickles it, stops short of it, or sends a chunked body whose
 * framing never completes cannot hold a connection open. {@code requestTimeout} bounds the whole
 * body, from the end of the headers, so a byte now and then does not reset it (Reactor Netty's
 * {@code readTimeout}, a bound on silence alone, would add nothing to it but a second error for
 * the same request). Until the headers are in, and between keep-alive requests,
 * {@code server.netty.idle-timeout} bounds the wait.
 */
@Component
class RequestReadTimeouts implements NettyServerCustomizer {

    private final HttpEdgeProperties properties;

    RequestReadTimeouts(HttpEdgeProperties properties) {
        this.properties = properties;
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.requestTimeout(properties.readTimeout());
    }
}
