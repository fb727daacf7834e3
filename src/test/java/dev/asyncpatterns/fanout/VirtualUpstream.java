package dev.asyncpatterns.fanout;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncpatterns.outbound.AllowedUrl;
import dev.asyncpatterns.outbound.CallError;
import dev.asyncpatterns.outbound.CallErrorType;
import dev.asyncpatterns.outbound.CallResult;
import dev.asyncpatterns.outbound.OutboundClient;
import reactor.core.publisher.Mono;
import reactor.test.publisher.PublisherProbe;
import reactor.test.publisher.TestPublisher;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The outbound client of the pipeline tests: each call answers on a timer as its URL says, so
 * under {@code StepVerifier.withVirtualTime} a test controls the clock, and every call is watched
 * by a {@link PublisherProbe}, so a test sees which calls a pipeline started and cancelled.
 * Whether a cancellation closes the connection is {@link OutboundClient}'s contract, tested
 * against a real server in its own tests and in {@code FanoutIntegrationTests}.
 *
 * <p>Paths: {@code /delay/{ms}} answers 200 with {@code {"delayedMs": ms}} after {@code ms};
 * {@code /status/{code}/{ms}} fails {@code HTTP_STATUS} with {@code code} after {@code ms};
 * {@code /held} answers when the test sends a result through {@link #held(int)}. As the real
 * client does, a call still running at its per-call timeout ends {@code TIMEOUT} then.
 */
final class VirtualUpstream {

    static final String HOST = "upstream.test";

    private final OutboundClient client = mock(OutboundClient.class);
    private final Map<Integer, PublisherProbe<CallResult>> calls = new ConcurrentHashMap<>();
    private final Map<Integer, TestPublisher<CallResult>> held = new ConcurrentHashMap<>();
    private final Map<Integer, Duration> timeouts = new ConcurrentHashMap<>();
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    VirtualUpstream(Duration defaultTimeout, Duration maxTimeout) {
        when(client.defaultTimeout()).thenReturn(defaultTimeout);
        when(client.maxTimeout()).thenReturn(maxTimeout);
        when(client.fetch(anyInt(), any(AllowedUrl.class), any(Duration.class)))
            .thenAnswer(call -> fetch(call.getArgument(0), call.getArgument(1), call.getArgument(2)));
    }

    OutboundClient client() {
        return client;
    }

    static String url(String path) {
        return "http://" + HOST + path;
    }

    /** The call made for the URL at {@code index}; fails the test when there was none. */
    PublisherProbe<CallResult> call(int index) {
        PublisherProbe<CallResult> probe = calls.get(index);
        if (probe == null) {
            throw new AssertionError("no call was made for urls[" + index + "]; calls made: " + calls.keySet());
        }
        return probe;
    }

    /** How many calls were made. */
    int started() {
        return started.get();
    }

    /** The most calls that were in flight at once. */
    int maxInFlight() {
        return maxInFlight.get();
    }

    /** The per-call timeout the call for {@code urls[index]} was made with. */
    Duration timeout(int index) {
        return timeouts.get(index);
    }

    /** The publisher the {@code /held} call for {@code urls[index]} answers from. */
    TestPublisher<CallResult> held(int index) {
        return held.computeIfAbsent(index, i -> TestPublisher.create());
    }

    static CallResult delayed(int index, String url, long ms) {
        return CallResult.success(index, url, 200, JsonNodeFactory.instance.objectNode().put("delayedMs", ms), ms);
    }

    private Mono<CallResult> fetch(int index, AllowedUrl url, Duration timeout) {
        started.incrementAndGet();
        timeouts.put(index, timeout);
        PublisherProbe<CallResult> probe = PublisherProbe.of(Mono.defer(() -> answer(index, url, timeout)));
        calls.put(index, probe);
        // Out of flight before the result reaches the pipeline, which may start the next call on it.
        return probe.mono()
            .doOnSubscribe(subscription -> maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max))
            .doOnTerminate(inFlight::decrementAndGet)
            .doOnCancel(inFlight::decrementAndGet);
    }

    private Mono<CallResult> answer(int index, AllowedUrl url, Duration timeout) {
        List<String> path = List.of(url.uri().getPath().substring(1).split("/"));
        if (path.get(0).equals("held")) {
            return held(index).mono();
        }
        long ms = Long.parseLong(path.get(path.size() - 1));
        if (ms > timeout.toMillis()) {
            return Mono.delay(timeout).map(tick -> CallResult.failure(index, url.url(),
                    CallError.of(CallErrorType.TIMEOUT, "no answer within " + timeout), timeout.toMillis()));
        }
        return Mono.delay(Duration.ofMillis(ms)).map(tick -> switch (path.get(0)) {
            case "delay" -> delayed(index, url.url(), ms);
            case "status" -> CallResult.failure(index, url.url(), new CallError(CallErrorType.HTTP_STATUS,
                    "HTTP " + path.get(1), Integer.parseInt(path.get(1)), null), ms);
            default -> throw new IllegalArgumentException("no such path on the virtual upstream: " + url);
        });
    }
}
