package dev.asyncpatterns.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A real HTTP upstream for resilience tests (Reactor Netty on a random loopback port) whose answers
 * are scripted per path: the n-th request to a path gets the n-th {@link Reply} (the last one
 * repeats). It counts requests per path and connections the client aborted before the reply was
 * complete, so a test can prove a retry did (or did not) reach the network.
 */
public final class ScriptedUpstream implements AutoCloseable {

    /**
     * One scripted answer.
     *
     * @param status HTTP status
     * @param retryAfter value of a {@code Retry-After} header, or null for none
     * @param delay how long to wait before answering (on a timer)
     */
    public record Reply(int status, @Nullable String retryAfter, Duration delay) {

        public static Reply status(int status) {
            return new Reply(status, null, Duration.ZERO);
        }

        public static Reply ok() {
            return status(200);
        }

        public Reply retryAfter(String value) {
            return new Reply(status, value, delay);
        }

        public Reply after(Duration wait) {
            return new Reply(status, retryAfter, wait);
        }
    }

    private final Map<String, List<Reply>> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final AtomicInteger aborted = new AtomicInteger();
    private final DisposableServer server;

    private ScriptedUpstream() {
        this.server = HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(this::answer)
            .bindNow(Duration.ofSeconds(10));
    }

    /** Starts an upstream on a free port; close it after the test. */
    public static ScriptedUpstream start() {
        return new ScriptedUpstream();
    }

    /** Scripts the answers to {@code path}, in order; the last repeats. */
    public ScriptedUpstream script(String path, Reply... replies) {
        if (replies.length == 0) {
            throw new IllegalArgumentException("a script needs at least one reply");
        }
        scripts.put(path, List.of(replies));
        return this;
    }

    /** An absolute URL on this upstream. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** Requests received for {@code path} so far. */
    public int requests(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    /** Requests whose connection the client closed before the reply was complete. */
    public int aborted() {
        return aborted.get();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }

    private Publisher<Void> answer(HttpServerRequest request, HttpServerResponse response) {
        String path = request.fullPath();
        int n = requests.computeIfAbsent(path, p -> new AtomicInteger()).getAndIncrement();
        List<Reply> script = scripts.getOrDefault(path, new ArrayList<>(List.of(Reply.status(404))));
        Reply reply = script.get(Math.min(n, script.size() - 1));
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Executor> eventLoop = new AtomicReference<>();
        response.withConnection(connection -> {
            eventLoop.set(connection.channel().eventLoop());
            connection.onDispose(() -> {
                if (done.compareAndSet(false, true)) {
                    aborted.incrementAndGet();
                }
            });
        });
        if (reply.retryAfter() != null) {
            response.header(HttpHeaderNames.RETRY_AFTER, reply.retryAfter());
        }
        Mono<Void> send = response.status(HttpResponseStatus.valueOf(reply.status()))
            .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
            .sendString(Mono.just("{\"status\":" + reply.status() + ",\"request\":" + (n + 1) + "}"))
            .then()
            .doOnSuccess(v -> done.set(true));
        // Write from the connection's own event loop: Netty's buffer allocator may take a lock
        // when written to from a timer thread, which BlockHound (rightly) reports.
        return reply.delay().isZero() ? send
                : Mono.delay(reply.delay()).publishOn(Schedulers.fromExecutor(eventLoop.get())).then(send);
    }
}
