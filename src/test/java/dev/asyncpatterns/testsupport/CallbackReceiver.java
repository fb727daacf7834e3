package dev.asyncpatterns.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A webhook receiver for tests (Reactor Netty on a random port): records every POST to
 * {@code /hooks} (headers and body) and answers each with the next scripted reply, then 200.
 */
public final class CallbackReceiver implements AutoCloseable {

    /** One POST received. */
    public record Received(Map<String, String> headers, byte[] body) {
    }

    /** A scripted answer: a status and an optional {@code Retry-After}. */
    public record Reply(int status, String retryAfter) {

        /** No answer at all: the request is recorded and left hanging until the sender gives up or dies. */
        public static final Reply NO_ANSWER = new Reply(0, null);
    }

    private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
    private final Queue<Received> received = new ConcurrentLinkedQueue<>();
    private final DisposableServer server;

    private CallbackReceiver(List<Reply> replies) {
        script.addAll(replies);
        this.server = HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .route(routes -> routes.post("/hooks", (request, response) -> request.receive().aggregate().asByteArray()
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    received.add(new Received(request.requestHeaders().entries().stream()
                        .collect(Collectors.toMap(e -> e.getKey().toLowerCase(java.util.Locale.ROOT), Map.Entry::getValue,
                                (a, b) -> a)), body));
                    Reply reply = script.poll();
                    if (reply == null) {
                        return response.status(HttpResponseStatus.OK).send().then();
                    }
                    if (reply == Reply.NO_ANSWER) {
                        return Mono.<Void>never();
                    }
                    if (reply.retryAfter() != null) {
                        response.header(HttpHeaderNames.RETRY_AFTER, reply.retryAfter());
                    }
                    return response.status(reply.status()).send().then();
                })))
            .bindNow(Duration.ofSeconds(10));
    }

    /** A receiver answering {@code replies} in order, then 200 to everything. */
    public static CallbackReceiver start(Reply... replies) {
        return new CallbackReceiver(List.of(replies));
    }

    /** The URL to give as {@code callback.url}. */
    public String url() {
        return "http://127.0.0.1:" + server.port() + "/hooks";
    }

    /** Every POST so far, in arrival order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }
}
