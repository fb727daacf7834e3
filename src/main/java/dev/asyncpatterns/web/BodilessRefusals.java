package dev.asyncpatterns.web;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import tools.jackson.databind.json.JsonMapper;

/**
 * Some requests are refused below the service, before any of its code runs, with a bodiless
 * answer: Netty's HTTP codec cannot parse them (a request line past its length limit: 414, headers
 * past theirs: 431, broken framing: 400), or Spring's server adapter cannot make a URI of them (a
 * {@code |} or {@code %zz} in the path: 400). This handler, right after the codec, gives those
 * answers a problem JSON body on their way out, so they look like every other error. The service
 * itself never answers 400, 414 or 431 without a problem body, so a bodiless one can only be such
 * a refusal. A HEAD request still gets no body: the codec's encoder leaves it out.
 *
 * <p>These requests never reach the request timer ({@code http.server.requests}), so they are
 * counted here: {@code asyncpatterns.http.refused{status}}. Reactor Netty's WARN for each request
 * the codec could not decode is turned off (application.yml): hostile input must not be able to
 * fill the log, and this count is what shows it.
 */
@ChannelHandler.Sharable
final class BodilessRefusals extends ChannelOutboundHandlerAdapter {

    static final String METER = "asyncpatterns.http.refused";

    private final Map<Integer, byte[]> bodies;
    private final Map<Integer, Counter> refusals;

    /** Renders the three bodies once: one handler serves every connection. */
    BodilessRefusals(JsonMapper jsonMapper, MeterRegistry meters) {
        this.bodies = Map.of(
                400, jsonMapper.writeValueAsBytes(Problems.of(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_REQUEST,
                        "Malformed request", "The request is not valid HTTP/1.1, or its URI is not a valid URI.")),
                414, jsonMapper.writeValueAsBytes(Problems.of(HttpStatus.URI_TOO_LONG, ProblemTypes.URI_TOO_LONG,
                        "URI too long", "The request line is longer than the server reads.")),
                431, jsonMapper.writeValueAsBytes(Problems.of(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                        ProblemTypes.HEADERS_TOO_LARGE, "Headers too large", "The request's headers are larger than the server reads.")));
        this.refusals = bodies.keySet().stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                status -> Counter.builder(METER)
                    .description("Requests refused below the service (HTTP codec, server adapter), by status")
                    .tag("status", status.toString()).register(meters)));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof FullHttpResponse response && !response.content().isReadable()
                && bodies.containsKey(response.status().code())) {
            FullHttpResponse problem = response.replace(Unpooled.wrappedBuffer(bodies.get(response.status().code())));
            response.release();
            problem.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, problem.content().readableBytes());
            ctx.write(problem, promise);
            refusals.get(response.status().code()).increment();
            return;
        }
        ctx.write(msg, promise);
    }
}
