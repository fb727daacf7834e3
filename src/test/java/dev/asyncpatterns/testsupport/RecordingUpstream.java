package dev.asyncpatterns.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import org.reactivestreams.Publisher;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A real HTTP upstream for tests (Reactor Netty on a random port) that records what happened to
 * every request: started, completed (the whole response written), or aborted (the client closed
 * the connection before the response was complete). That is how tests prove a cancellation
 * reached the network, rather than only our own bookkeeping.
 *
 * <p>Routes: {@code /delay/{ms}} (JSON after a timer), {@code /status/{code}?retryAfter=&delayMs=},
 * {@code /bytes/{n}?chunkDelayMs=&declare=true} (text in 8 KiB chunks, optionally with a
 * {@code Content-Length}), {@code /redirect?to=} (302), {@code /text}, {@code /broken-json}.
 */
public final class RecordingUpstream implements AutoCloseable {

    /** What became of one request. */
    public enum Fate { RUNNING, COMPLETED, ABORTED }

    /** One request seen, by path and query, and its fate so far. */
    public record Exchange(String uri, AtomicReference<Fate> fate) {
    }

    private static final int CHUNK = 8192;

    private final Queue<Exchange> exchanges = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    private final DisposableServer server;

    private RecordingUpstream() {
        this.server = HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            // Once per TCP channel; doOnConnection would fire once per HTTP request.
            .doOnChannelInit((observer, channel, remote) -> connectionsOpened.incrementAndGet())
            .route(routes -> routes
                .get("/delay/{ms}", (req, res) -> track(req, res, delay(req, res)))
                .get("/status/{code}", (req, res) -> track(req, res, status(req, res)))
                .get("/bytes/{n}", (req, res) -> track(req, res, bytes(req, res)))
                .get("/redirect", (req, res) -> track(req, res, redirect(req, res)))
                .get("/text", (req, res) -> track(req, res, res.header(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                    .sendString(Mono.just("hello")).then()))
                .get("/broken-json", (req, res) -> track(req, res,
                        res.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                            .sendString(Mono.just("{not json")).then())))
            .bindNow(Duration.ofSeconds(10));
    }

    /** Starts an upstream on a free port; close it after the test. */
    public static RecordingUpstream start() {
        return new RecordingUpstream();
    }

    /** An absolute URL on this upstream, e.g. {@code url("/delay/50")}. */
    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.port() + pathAndQuery;
    }

    public int port() {
        return server.port();
    }

    public int started() {
        return exchanges.size();
    }

    public int completed() {
        return count(Fate.COMPLETED);
    }

    public int aborted() {
        return count(Fate.ABORTED);
    }

    public int running() {
        return count(Fate.RUNNING);
    }

    /** TCP connections clients opened to this upstream, so tests can tell reuse from reconnects. */
    public int connectionsOpened() {
        return connectionsOpened.get();
    }

    /** The most {@code /delay} requests waiting for their answer at once (from arrival until the answer starts). */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Request URIs (path and query) that ended in the given fate. */
    public List<String> urisWith(Fate fate) {
        return exchanges.stream().filter(e -> e.fate().get() == fate).map(Exchange::uri).toList();
    }

    /** Every request seen so far and its fate, for assertion messages. */
    public Map<String, Fate> snapshot() {
        return exchanges.stream().collect(java.util.stream.Collectors.toMap(Exchange::uri, e -> e.fate().get(),
                (a, b) -> a, java.util.LinkedHashMap::new));
    }

    /** Forgets every request seen so far (after a warm-up call, say). */
    public void reset() {
        exchanges.clear();
        maxInFlight.set(inFlight.get());
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }

    private int count(Fate fate) {
        return (int) exchanges.stream().filter(e -> e.fate().get() == fate).count();
    }

    private Publisher<Void> track(HttpServerRequest request, HttpServerResponse response, Mono<Void> work) {
        Exchange exchange = new Exchange(request.uri(), new AtomicReference<>(Fate.RUNNING));
        exchanges.add(exchange);
        // The connection closing before our response was fully written is the client aborting.
        response.withConnection(connection -> connection.onDispose(() -> end(exchange, Fate.ABORTED)));
        return work.doOnSuccess(v -> end(exchange, Fate.COMPLETED))
            .doOnError(e -> end(exchange, Fate.ABORTED))
            .doOnCancel(() -> end(exchange, Fate.ABORTED));
    }

    private void end(Exchange exchange, Fate fate) {
        exchange.fate().compareAndSet(Fate.RUNNING, fate);
    }

    private Mono<Void> delay(HttpServerRequest request, HttpServerResponse response) {
        long ms = Long.parseLong(request.param("ms"));
        // In flight from the request's arrival until its answer starts: the client cannot have
        // sent its next request before then, whereas the end of the write can be seen late.
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        return Mono.delay(Duration.ofMillis(ms))
            // Before the answer is written (doFinally would run only after it was), or on an abort.
            .doOnNext(tick -> inFlight.decrementAndGet())
            .doOnCancel(inFlight::decrementAndGet)
            .then(response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .sendString(Mono.just("{\"delayedMs\":" + ms + "}")).then());
    }

    private static Mono<Void> status(HttpServerRequest request, HttpServerResponse response) {
        int code = Integer.parseInt(request.param("code"));
        String retryAfter = query(request, "retryAfter");
        if (retryAfter != null) {
            response.header(HttpHeaderNames.RETRY_AFTER, retryAfter);
        }
        String delayMs = query(request, "delayMs");
        return Mono.delay(Duration.ofMillis(delayMs == null ? 0 : Long.parseLong(delayMs)))
            .then(response.status(HttpResponseStatus.valueOf(code))
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .sendString(Mono.just("{\"status\":" + code + "}")).then());
    }

    private static Mono<Void> bytes(HttpServerRequest request, HttpServerResponse response) {
        int n = Integer.parseInt(request.param("n"));
        String delay = query(request, "chunkDelayMs");
        long chunkDelayMs = delay == null ? 0 : Long.parseLong(delay);
        if ("true".equals(query(request, "declare"))) {
            response.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(n));
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        Flux<String> body = Flux.range(0, chunks)
            .map(i -> "x".repeat(Math.min(CHUNK, n - i * CHUNK)));
        if (chunkDelayMs > 0) {
            body = body.delayElements(Duration.ofMillis(chunkDelayMs));
        }
        return response.header(HttpHeaderNames.CONTENT_TYPE, "text/plain")
            .sendString(body, StandardCharsets.UTF_8).then();
    }

    private static Mono<Void> redirect(HttpServerRequest request, HttpServerResponse response) {
        return response.status(HttpResponseStatus.FOUND)
            .header(HttpHeaderNames.LOCATION, query(request, "to"))
            .send().then();
    }

    private static String query(HttpServerRequest request, String name) {
        List<String> values = new QueryStringDecoder(request.uri()).parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
