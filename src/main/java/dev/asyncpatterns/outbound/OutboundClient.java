package dev.asyncpatterns.outbound;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.ReadTimeoutException;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

/**
 * Makes one outbound HTTP GET and reports its outcome as a {@link CallResult}: the only way this
 * service leaves the process. One {@link WebClient} on one bounded Reactor Netty connection pool
 * serves every feature.
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

    private static final Logger log = LoggerFactory.getLogger(OutboundClient.class);

    /** JSON preferred, anything taken; one constant string rather than a media-type list per call. */
    private static final String ACCEPT = "application/json, */*;q=0.8";

    private final WebClient webClient;
    private final ConnectionProvider connections;
    private final UrlAllowlist allowlist;
    private final JsonMapper jsonMapper;
    private final OutboundProperties properties;

    public OutboundClient(WebClient.Builder builder, OutboundProperties properties, UrlAllowlist allowlist,
            JsonMapper jsonMapper) {
        this.properties = properties;
        this.allowlist = allowlist;
        this.jsonMapper = jsonMapper;
        // Jackson creates its tree deserializer under a lock on first use; do it here, not on
        // an event loop thread where concurrent first calls would park on that lock.
        jsonMapper.readTree("{}");
        this.connections = ConnectionProvider.builder("asyncpatterns-outbound")
            .maxConnections(properties.maxConnections())
            .pendingAcquireMaxCount(properties.maxPendingAcquires())
            .pendingAcquireTimeout(properties.pendingAcquireTimeout())
            .maxIdleTime(properties.maxIdleTime())
            .build();
        HttpClient httpClient = HttpClient.create(connections)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millisAsInt(properties.connectTimeout()))
            // Redirects are followed here, hop by hop, so each hop meets the allowlist.
            .followRedirect(false);
        this.webClient = builder.clone()
            .clientConnector(new ReactorClientHttpConnector(httpClient))
            // A fan-out makes a thousand calls at once: per-call observations cost more than they
            // tell, and the features count their calls themselves (asyncpatterns.fanout.calls).
            .observationRegistry(ObservationRegistry.NOOP)
            .build();
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
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(properties.maxResponseTimeout()) > 0) {
            throw new IllegalArgumentException("timeout must be positive and at most " + properties.maxResponseTimeout());
        }
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return follow(url.uri(), 0)
                .timeout(timeout)
                // Errors (not Exceptions) are bugs, such as BlockHound's: let them surface.
                .onErrorResume(Exception.class::isInstance, ex -> Mono.just(new Failure(classify(ex, timeout))))
                .map(outcome -> outcome.toResult(index, url.url(), (System.nanoTime() - started) / 1_000_000));
        }).tag(CallPolicy.INDEX_TAG, Integer.toString(index)).tag(CallPolicy.URL_TAG, url.url());
    }

    @Override
    public void destroy() {
        connections.dispose();
    }

    private Mono<Outcome> follow(URI uri, int hop) {
        return webClient.get()
            .uri(uri)
            .header(HttpHeaders.ACCEPT, ACCEPT)
            .exchangeToMono(response -> handle(uri, hop, response))
            .flatMap(outcome -> outcome instanceof Redirect redirect ? follow(redirect.location(), hop + 1)
                    : Mono.just(outcome));
    }

    private Mono<Outcome> handle(URI uri, int hop, ClientResponse response) {
        HttpStatusCode status = response.statusCode();
        if (status.is2xxSuccessful()) {
            OptionalLong declared = response.headers().contentLength();
            if (declared.isPresent() && declared.getAsLong() > properties.maxBodyBytes()) {
                return closeUnread(response).thenReturn(new Failure(tooLarge()));
            }
            return readBody(response)
                .map(bytes -> decode(status.value(), response.headers().contentType().orElse(null), bytes))
                .defaultIfEmpty(new Success(status.value(), null));
        }
        Outcome outcome = status.is3xxRedirection() ? redirect(uri, hop, response) : httpStatus(response, null);
        // Read (and drop) what little an error or redirect carries so the connection can be reused;
        // the cap still applies, and past it the connection is closed instead.
        return readBody(response).onErrorResume(ex -> Mono.empty()).then(Mono.just(outcome));
    }

    private Outcome redirect(URI from, int hop, ClientResponse response) {
        String location = response.headers().asHttpHeaders().getFirst(HttpHeaders.LOCATION);
        if (location == null) {
            return httpStatus(response, null);
        }
        URI next;
        try {
            next = from.resolve(location);
        }
        catch (IllegalArgumentException ex) {
            return new Failure(CallError.of(CallErrorType.INVALID_RESPONSE,
                    "redirect Location is not a valid URL: " + abbreviate(location)));
        }
        if (!allowlist.isAllowed(next)) {
            return httpStatus(response, "redirect to " + abbreviate(next.toString())
                    + " not followed: its host is not in asyncpatterns.outbound.allowed-hosts");
        }
        if (hop >= properties.maxRedirects()) {
            return httpStatus(response, "redirect not followed: more than " + properties.maxRedirects() + " redirects");
        }
        return new Redirect(next);
    }

    private static Outcome httpStatus(ClientResponse response, @Nullable String why) {
        int status = response.statusCode().value();
        String message = why != null ? why : "upstream answered " + status;
        String retryAfter = response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER);
        return new Failure(new CallError(CallErrorType.HTTP_STATUS, message, status, retryAfter));
    }

    /**
     * Subscribes to the body and cancels at once, which makes Reactor Netty close the connection;
     * leaving it unsubscribed would make WebClient drain it for reuse instead.
     */
    private static Mono<Void> closeUnread(ClientResponse response) {
        return Mono.fromRunnable(() -> response.body(BodyExtractors.toDataBuffers()).subscribe(new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                cancel();
            }
        }));
    }

    /** The body, whole, or a {@link DataBufferLimitException} past the cap (which cancels the read). */
    private Mono<byte[]> readBody(ClientResponse response) {
        return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), properties.maxBodyBytes())
            .map(buffer -> {
                try {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    return bytes;
                }
                finally {
                    DataBufferUtils.release(buffer);
                }
            });
    }

    private Outcome decode(int status, @Nullable MediaType contentType, byte[] bytes) {
        if (bytes.length == 0) {
            return new Success(status, null);
        }
        if (contentType != null && isJson(contentType)) {
            try {
                return new Success(status, jsonMapper.readTree(bytes));
            }
            catch (JacksonException ex) {
                return new Failure(CallError.of(CallErrorType.INVALID_RESPONSE,
                        "the body is declared " + contentType + " but is not valid JSON"));
            }
        }
        Charset charset = contentType != null && contentType.getCharset() != null ? contentType.getCharset()
                : StandardCharsets.UTF_8;
        return new Success(status, StringNode.valueOf(new String(bytes, charset)));
    }

    private static boolean isJson(MediaType type) {
        return MediaType.APPLICATION_JSON.isCompatibleWith(type) || type.getSubtype().endsWith("+json");
    }

    private CallError tooLarge() {
        return CallError.of(CallErrorType.TOO_LARGE,
                "the body exceeds " + properties.maxBodyBytes() + " bytes; the connection was closed");
    }

    /** Maps an exception from any layer to the one type it stands for, looking through wrappers. */
    private CallError classify(Throwable failure, Duration timeout) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DataBufferLimitException) {
                return tooLarge();
            }
            if (cause.getClass().getSimpleName().startsWith("PoolAcquire")) {
                // reactor-netty's (shaded) pool: the pending queue is full or the wait timed out.
                return CallError.of(CallErrorType.CONNECT, "no pooled connection available: " + cause.getMessage());
            }
            if (cause instanceof ConnectException || cause instanceof UnknownHostException
                    || cause instanceof NoRouteToHostException || cause instanceof SSLException) {
                return CallError.of(CallErrorType.CONNECT, "could not connect: " + cause.getMessage());
            }
            if (cause instanceof TimeoutException || cause instanceof ReadTimeoutException) {
                return CallError.of(CallErrorType.TIMEOUT, "no complete response within " + timeout.toMillis() + " ms");
            }
            if (cause instanceof PrematureCloseException) {
                return CallError.of(CallErrorType.INVALID_RESPONSE,
                        "the upstream closed the connection before the response was complete");
            }
            if (cause instanceof DecoderException || cause instanceof JacksonException) {
                return CallError.of(CallErrorType.INVALID_RESPONSE, "malformed response: " + cause.getMessage());
            }
            if (cause instanceof CancellationException) {
                return CallError.of(CallErrorType.CANCELLED, "the call was cancelled");
            }
        }
        log.debug("Outbound call failed in an unmapped way", failure);
        if (failure instanceof WebClientRequestException) {
            // The request could not be written: the connection failed under us.
            return CallError.of(CallErrorType.CONNECT, "could not send the request: " + failure.getMessage());
        }
        return CallError.of(CallErrorType.INVALID_RESPONSE, "the response could not be read: " + failure.getMessage());
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    private static int millisAsInt(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    /** What one exchange came to: the call's outcome, or a redirect to follow next. */
    private sealed interface Outcome permits Success, Failure, Redirect {

        default CallResult toResult(int index, String url, long elapsedMs) {
            if (this instanceof Success success) {
                return CallResult.success(index, url, success.status(), success.body(), elapsedMs);
            }
            if (this instanceof Failure failure) {
                return CallResult.failure(index, url, failure.error(), elapsedMs);
            }
            throw new IllegalStateException("a redirect is followed, never reported");
        }
    }

    private record Success(int status, @Nullable JsonNode body) implements Outcome {
    }

    private record Failure(CallError error) implements Outcome {
    }

    private record Redirect(URI location) implements Outcome {
    }
}
