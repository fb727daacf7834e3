package dev.asyncpatterns.outbound;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes one outbound HTTP GET (or a callback's POST) and reports its outcome as a {@link CallResult}: the only way this
 * service leaves the process. One Reactor Netty {@link HttpClient} on one bounded connection pool
 * serves every feature.
 *
 * <p>Why the bare {@code HttpClient} and not {@code WebClient}: a fan-out makes a thousand calls
 * per request, and the benchmark (bench/README.md, W1) showed WebClient's per-call layers
 * (request/response adapters, a checkpoint per exchange, data-buffer conversion) costing more than
 * the calls themselves. This class needs none of them: it reads one capped body and hands it to
 * {@link BodyDecoder}; a failure from any layer is named by {@link ErrorClassifier}.
 *
 * <p>Contract of {@link #fetch(int, AllowedUrl, Duration)}:
 * <ul>
 * <li>The returned {@code Mono} is cold: nothing happens until it is subscribed, and each
 *     subscription makes a new call (so a retry operator can resubscribe).</li>
 * <li>It always emits exactly one {@link CallResult} and never errors: every failure is a result
 *     with {@code ok: false} and exactly one {@link CallErrorType}.</li>
 * <li>The timeout bounds the whole call: pool wait, connect, redirects, headers and body. It is
 *     the only response timeout (no idle-read handler is added to the channel per request).</li>
 * <li>Cancelling the subscription aborts the HTTP exchange: the connection is closed, so the
 *     upstream sees the client leave (it is not returned to the pool half-read).</li>
 * <li>A body over {@code max-body-bytes} fails {@code TOO_LARGE} and its connection is closed,
 *     not drained. A declared {@code Content-Length} over the cap fails before reading any of it.</li>
 * <li>Redirects (3xx with {@code Location}) are followed only while each hop passes the
 *     {@link UrlAllowlist} and at most {@code max-redirects} times; otherwise the 3xx is the
 *     outcome, an {@code HTTP_STATUS} failure saying why it was not followed.</li>
 * <li>Non-2xx answers fail {@code HTTP_STATUS} with the status and any {@code Retry-After}
 *     header in {@link CallError}, so a retry policy can honour it.</li>
 * </ul>
 */
@Component
public class OutboundClient implements DisposableBean {

    /** JSON preferred, anything taken; one constant string rather than a media-type list per call. */
    private static final String ACCEPT = "application/json, */*;q=0.8";
    private static final String JSON = "application/json";
    private static final Duration WARMUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient httpClient;
    private final ConnectionProvider connections;
    private final LoopResources loops;
    private final UrlAllowlist allowlist;
    private final BodyDecoder bodyDecoder;
    private final OutboundProperties properties;

    @Autowired
    public OutboundClient(OutboundProperties properties, UrlAllowlist allowlist, JsonMapper jsonMapper) {
        // Loops of its own, not colocated: with the shared (colocated) loops every call of a fan-out
        // went to the one loop that received the request, leaving the other cores idle. Owning them
        // also ties them to this bean: the shared ones are disposed and recreated whenever Spring
        // stops and restarts the web server, which would strand the pool on dead loops.
        this(properties, allowlist, jsonMapper, LoopResources.create("ap-outbound", 1,
                Math.max(2, Runtime.getRuntime().availableProcessors()), true, false));
    }

    /** On {@code loops}, which it owns from now on: {@link #destroy()} stops them. */
    OutboundClient(OutboundProperties properties, UrlAllowlist allowlist, JsonMapper jsonMapper, LoopResources loops) {
        this.properties = properties;
        this.allowlist = allowlist;
        this.bodyDecoder = new BodyDecoder(jsonMapper);
        this.connections = ConnectionProvider.builder("asyncpatterns-outbound")
            .maxConnections(properties.maxConnections())
            .pendingAcquireMaxCount(properties.maxPendingAcquires())
            .pendingAcquireTimeout(properties.pendingAcquireTimeout())
            .maxIdleTime(properties.maxIdleTime())
            .build();
        this.loops = loops;
        this.httpClient = HttpClient.create(connections)
            .runOn(loops)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millisAsInt(properties.connectTimeout()))
            // Redirects are followed here, hop by hop, so each hop meets the allowlist.
            .followRedirect(false)
            .headers(headers -> headers.set(HttpHeaderNames.ACCEPT, ACCEPT));
        // At startup, not in the first fan-out: the loops, the native transport and the DNS
        // resolver are otherwise set up inside the first call, which was ~350 ms slower than the
        // next (issue 18). Bounded: a resolver that cannot start fails startup, not a request.
        this.httpClient.warmup().block(WARMUP_TIMEOUT);
    }

    /** The per-call timeout used when a caller names none ({@code default-response-timeout}). */
    public Duration defaultTimeout() {
        return properties.defaultResponseTimeout();
    }

    /** The longest per-call timeout a caller may ask for ({@code max-response-timeout}). */
    public Duration maxTimeout() {
        return properties.maxResponseTimeout();
    }

    /** Calls {@code url} with the default timeout; see {@link #fetch(int, AllowedUrl, Duration)}. */
    public Mono<CallResult> fetch(int index, AllowedUrl url) {
        return fetch(index, url, properties.defaultResponseTimeout());
    }

    /**
     * Calls {@code url} with GET and emits its outcome; never errors (see the class description).
     *
     * @param index echoed in the result, so results can be told apart out of order
     * @param url a URL the allowlist accepted
     * @param timeout bound on the whole call, positive and at most {@link #maxTimeout()}
     * @return a cold {@code Mono} of exactly one result; cancel it to abort the call
     * @throws IllegalArgumentException if the timeout is out of range (validate input before calling)
     */
    public Mono<CallResult> fetch(int index, AllowedUrl url, Duration timeout) {
        return call(index, url, timeout, () -> follow(url.uri(), 0));
    }

    /**
     * POSTs {@code body} (JSON) with {@code headers} to {@code url} and emits its outcome, under the
     * same contract as {@link #fetch(int, AllowedUrl, Duration)} except that a redirect is never
     * followed (a POST is not repeated at another address): a 3xx is an {@code HTTP_STATUS} failure.
     * A 2xx answer's body is read (within the cap) and dropped; the result carries its status only.
     *
     * @param url a URL the allowlist accepted
     * @param body the request body, sent as {@code application/json}
     * @param headers extra request headers (a signature, for instance)
     * @param timeout bound on the whole call, positive and at most {@link #maxTimeout()}
     */
    public Mono<CallResult> post(AllowedUrl url, byte[] body, Map<String, String> headers, Duration timeout) {
        return call(0, url, timeout, () -> httpClient.post()
            .uri(url.uri())
            .send((request, outbound) -> {
                request.requestHeaders().set(HttpHeaderNames.CONTENT_TYPE, JSON);
                headers.forEach(request.requestHeaders()::set);
                return outbound.sendByteArray(Mono.just(body));
            })
            .responseConnection(this::answered)
            .single());
    }

    /** One exchange, bounded by {@code timeout}, as exactly one result that never errors. */
    private Mono<CallResult> call(int index, AllowedUrl url, Duration timeout, Supplier<Mono<ExchangeOutcome>> exchange) {
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(properties.maxResponseTimeout()) > 0) {
            throw new IllegalArgumentException("timeout must be positive and at most " + properties.maxResponseTimeout());
        }
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return exchange.get()
                // take(Duration) rather than timeout(Duration): both cancel the call when the time is
                // up, but timeout() builds a description string on every subscription by walking
                // the operator chain, which showed up in the fan-out profile. The call never
                // completes empty, so empty here means the time ran out.
                .take(timeout)
                .switchIfEmpty(Mono.fromSupplier(() -> new ExchangeOutcome.Failure(ErrorClassifier.timedOut(timeout))))
                // Errors (not Exceptions) are bugs, such as BlockHound's: let them surface.
                .onErrorResume(Exception.class::isInstance, ex -> Mono.just(new ExchangeOutcome.Failure(ErrorClassifier.classify(ex, timeout))))
                .map(outcome -> outcome.toResult(index, url.url(), (System.nanoTime() - started) / 1_000_000));
        }).tag(CallPolicy.INDEX_TAG, Integer.toString(index)).tag(CallPolicy.URL_TAG, url.url());
    }

    /**
     * Closes the pool, then stops the loops and waits for them: by now no call can start (the web
     * server and the job registry stopped before), so no quiet period. Not waiting left the loop
     * threads in {@code epoll_wait} when the JVM exited, and HotSpot waits up to 300 ms for
     * threads in native code before it exits: every shutdown took that much longer.
     */
    @Override
    public void destroy() {
        connections.disposeLater()
            .then(loops.disposeLater(Duration.ZERO, STOP_TIMEOUT))
            .block(STOP_TIMEOUT.multipliedBy(2));
    }

    private Mono<ExchangeOutcome> follow(URI uri, int hop) {
        return httpClient.get()
            .uri(uri)
            .responseConnection((response, connection) -> handle(uri, hop, response, connection))
            // Exactly one outcome per exchange: the handler always emits one.
            .single()
            .flatMap(outcome -> outcome instanceof ExchangeOutcome.Redirect redirect ? follow(redirect.location(), hop + 1)
                    : Mono.just(outcome));
    }

    private Mono<ExchangeOutcome> handle(URI uri, int hop, HttpClientResponse response, Connection connection) {
        int status = response.status().code();
        HttpHeaders headers = response.responseHeaders();
        if (status >= 200 && status < 300) {
            String declared = headers.get(HttpHeaderNames.CONTENT_LENGTH);
            if (declared != null && declaredOverCap(declared)) {
                // Closing, not draining: the upstream may be sending gigabytes.
                connection.dispose();
                return Mono.just(new ExchangeOutcome.Failure(tooLarge()));
            }
            return closeWhenTooLarge(readBody(connection)
                .map(bytes -> bodyDecoder.decode(status, headers.get(HttpHeaderNames.CONTENT_TYPE), bytes)), connection,
                    Mono.just(new ExchangeOutcome.Failure(tooLarge())));
        }
        ExchangeOutcome outcome = status >= 300 && status < 400 ? redirect(uri, hop, status, headers)
                : httpStatus(status, headers, null);
        return dropBody(connection, outcome);
    }

    /** The answer to a POST: 2xx succeeds without a body, anything else (3xx included) fails with its status. */
    private Mono<ExchangeOutcome> answered(HttpClientResponse response, Connection connection) {
        int status = response.status().code();
        return dropBody(connection, status >= 200 && status < 300 ? new ExchangeOutcome.Success(status, null)
                : httpStatus(status, response.responseHeaders(), null));
    }

    /**
     * Reads (and drops) what little an answer carries so the connection can be reused, then
     * emits {@code outcome}; the cap still applies, and past it the connection is closed instead.
     */
    private Mono<ExchangeOutcome> dropBody(Connection connection, ExchangeOutcome outcome) {
        return closeWhenTooLarge(readBody(connection), connection, Mono.empty()).then(Mono.just(outcome));
    }

    /** Past the cap the connection is closed, not drained, and {@code instead} stands for the read. */
    private static <T> Mono<T> closeWhenTooLarge(Mono<T> read, Connection connection, Mono<T> instead) {
        return read.onErrorResume(BodyTooLargeException.class, ex -> {
            connection.dispose();
            return instead;
        });
    }

    private boolean declaredOverCap(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > properties.maxBodyBytes();
        }
        catch (NumberFormatException ex) {
            // Netty's decoder rejects a malformed length itself; the read below reports it.
            return false;
        }
    }

    private ExchangeOutcome redirect(URI from, int hop, int status, HttpHeaders headers) {
        String location = headers.get(HttpHeaderNames.LOCATION);
        if (location == null) {
            return httpStatus(status, headers, null);
        }
        URI next;
        try {
            next = from.resolve(location);
        }
        catch (IllegalArgumentException ex) {
            return new ExchangeOutcome.Failure(CallError.of(CallErrorType.INVALID_RESPONSE,
                    "redirect Location is not a valid URL: " + abbreviate(location)));
        }
        if (!allowlist.isAllowed(next)) {
            return httpStatus(status, headers, "redirect to " + abbreviate(next.toString())
                    + " not followed: its host is not in asyncpatterns.outbound.allowed-hosts");
        }
        if (hop >= properties.maxRedirects()) {
            return httpStatus(status, headers, "redirect not followed: more than " + properties.maxRedirects() + " redirects");
        }
        return new ExchangeOutcome.Redirect(next);
    }

    private static ExchangeOutcome httpStatus(int status, HttpHeaders headers, @Nullable String why) {
        String message = why != null ? why : "upstream answered " + status;
        return new ExchangeOutcome.Failure(new CallError(CallErrorType.HTTP_STATUS, message, status,
                headers.get(HttpHeaderNames.RETRY_AFTER)));
    }

    /**
     * The body, whole, or a {@link BodyTooLargeException} past the cap. The exception cancels the
     * read; the caller then closes the connection. Reactor Netty releases each buffer after it is
     * handed over, so the bytes are copied out, never retained.
     */
    private Mono<byte[]> readBody(Connection connection) {
        int cap = properties.maxBodyBytes();
        return connection.inbound().receive()
            .collect(ByteArrayOutputStream::new, (bytes, buffer) -> append(bytes, buffer, cap))
            .map(ByteArrayOutputStream::toByteArray);
    }

    private static void append(ByteArrayOutputStream bytes, ByteBuf buffer, int cap) {
        int readable = buffer.readableBytes();
        if (readable > cap - bytes.size()) {
            throw BodyTooLargeException.INSTANCE;
        }
        byte[] chunk = new byte[readable];
        buffer.getBytes(buffer.readerIndex(), chunk);
        bytes.write(chunk, 0, readable);
    }

    private CallError tooLarge() {
        return CallError.of(CallErrorType.TOO_LARGE,
                "the body exceeds " + properties.maxBodyBytes() + " bytes; the connection was closed");
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    private static int millisAsInt(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    /** A body past the cap; one shared instance without a stack trace, as it is control flow. */
    private static final class BodyTooLargeException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        static final BodyTooLargeException INSTANCE = new BodyTooLargeException();

        private BodyTooLargeException() {
            super("body over the cap", null, false, false);
        }
    }
}
