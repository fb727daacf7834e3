package dev.asyncpatterns.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.testsupport.RecordingUpstream;
import reactor.core.Disposable;
import reactor.netty.resources.LoopResources;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

class OutboundClientTests {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int CAP = 64 * 1024;

    private RecordingUpstream upstream;
    private OutboundClient client;
    private UrlAllowlist allowlist;

    @BeforeEach
    void start() {
        upstream = RecordingUpstream.start();
        OutboundProperties properties = properties(List.of("127.0.0.1:" + upstream.port()));
        allowlist = new UrlAllowlist(properties);
        client = new OutboundClient(properties, allowlist, JsonMapper.builder().build());
    }

    @AfterEach
    void stop() {
        client.destroy();
        upstream.close();
    }

    static OutboundProperties properties(List<String> allowedHosts) {
        return new OutboundProperties(allowedHosts, CAP, Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(30), 200, 1000, Duration.ofSeconds(10), Duration.ofSeconds(30), 3);
    }

    private CallResult fetch(String pathAndQuery, Duration timeout) {
        return client.fetch(4, allowlist.check(0, upstream.url(pathAndQuery)), timeout).block(WAIT);
    }

    private CallResult fetch(String pathAndQuery) {
        return fetch(pathAndQuery, Duration.ofSeconds(5));
    }

    @Test
    void destroyStopsTheLoopsAndWaitsUntilTheyHaveStopped() {
        LoopResources loops = LoopResources.create("test-outbound", 1, 2, true, false);
        OutboundClient own = new OutboundClient(properties(List.of("127.0.0.1:" + upstream.port())), allowlist,
                JsonMapper.builder().build(), loops);
        assertThat(own.fetch(0, allowlist.check(0, upstream.url("/delay/1")), Duration.ofSeconds(5)).block(WAIT).status())
            .isEqualTo(200);
        EventLoopGroup clientLoops = loops.onClient(true);

        own.destroy();

        assertThat(clientLoops.isTerminated()).as("loop threads ended, not only asked to").isTrue();
    }

    @Test
    void aJsonBodyComesBackAsJsonWithStatusIndexAndUrl() {
        CallResult result = fetch("/delay/10");

        assertThat(result.ok()).isTrue();
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.index()).isEqualTo(4);
        assertThat(result.url()).isEqualTo(upstream.url("/delay/10"));
        assertThat(result.body().get("delayedMs").asInt()).isEqualTo(10);
        assertThat(result.error()).isNull();
        assertThat(result.elapsedMs()).isGreaterThanOrEqualTo(10);
        await().atMost(WAIT).until(() -> upstream.completed() == 1);
    }

    @Test
    void aTextBodyComesBackAsText() {
        CallResult result = fetch("/text");

        assertThat(result.ok()).isTrue();
        assertThat(result.body().isString()).isTrue();
        assertThat(result.body().asString()).isEqualTo("hello");
    }

    @Test
    void anErrorStatusIsAnHttpStatusFailureCarryingStatusAndRetryAfter() {
        CallResult result = fetch("/status/503?retryAfter=7");

        assertThat(result.ok()).isFalse();
        assertThat(result.failedWith(CallErrorType.HTTP_STATUS)).isTrue();
        assertThat(result.error().status()).isEqualTo(503);
        assertThat(result.error().retryAfter()).isEqualTo("7");
        assertThat(result.error().retryAfterDelay()).contains(Duration.ofSeconds(7));
        assertThat(result.status()).isNull();
        assertThat(result.body()).isNull();
    }

    @Test
    void aJsonBodyThatDoesNotParseIsAnInvalidResponse() {
        CallResult result = fetch("/broken-json");

        assertThat(result.failedWith(CallErrorType.INVALID_RESPONSE)).isTrue();
    }

    @Test
    void aSlowUpstreamTimesOutAndItsConnectionIsClosed() {
        CallResult result = fetch("/delay/5000", Duration.ofMillis(300));

        assertThat(result.failedWith(CallErrorType.TIMEOUT)).isTrue();
        assertThat(result.error().message()).contains("300 ms");
        await().atMost(WAIT).until(() -> upstream.aborted() == 1);
        assertThat(upstream.completed()).isZero();
    }

    @Test
    void cancellingTheCallAbortsTheExchangeAtTheUpstream() {
        Disposable call = client.fetch(0, allowlist.check(0, upstream.url("/delay/5000")), Duration.ofSeconds(10))
            .subscribe();
        await().atMost(WAIT).until(() -> upstream.running() == 1);

        call.dispose();

        await().atMost(WAIT).until(() -> upstream.aborted() == 1);
        assertThat(upstream.completed()).isZero();
    }

    @Test
    void aBodyOverTheCapIsTooLargeAndItsConnectionIsDroppedNotDrained() {
        // 1 MiB in 8 KiB chunks, 20 ms apart: draining it would take seconds and complete the response.
        CallResult result = fetch("/bytes/1048576?chunkDelayMs=20");

        assertThat(result.failedWith(CallErrorType.TOO_LARGE)).isTrue();
        await().atMost(WAIT).until(() -> upstream.aborted() == 1);
        assertThat(upstream.completed()).isZero();
    }

    @Test
    void aDeclaredLengthOverTheCapIsTooLargeBeforeTheBodyIsRead() {
        CallResult result = fetch("/bytes/1048576?declare=true&chunkDelayMs=20");

        assertThat(result.failedWith(CallErrorType.TOO_LARGE)).isTrue();
        await().atMost(WAIT).until(() -> upstream.aborted() == 1);
        assertThat(upstream.completed()).isZero();
    }

    @Test
    void aBodyUnderTheCapIsReadWhole() {
        CallResult result = fetch("/bytes/" + (CAP - 1));

        assertThat(result.ok()).isTrue();
        assertThat(result.body().asString()).hasSize(CAP - 1);
    }

    @Test
    void aRedirectToAnAllowlistedHostIsFollowed() {
        CallResult result = fetch(redirectsTo(upstream.url("/delay/1"), 3));

        assertThat(result.ok()).isTrue();
        assertThat(result.body().get("delayedMs").asInt()).isEqualTo(1);
        await().atMost(WAIT).until(() -> upstream.completed() == 4);
        assertThat(upstream.aborted()).isZero();
    }

    @Test
    void moreRedirectsThanTheLimitAreNotFollowed() {
        CallResult result = fetch(redirectsTo(upstream.url("/delay/1"), 4));

        assertThat(result.failedWith(CallErrorType.HTTP_STATUS)).isTrue();
        assertThat(result.error().status()).isEqualTo(302);
        assertThat(result.error().message()).contains("more than 3 redirects");
        assertThat(upstream.urisWith(RecordingUpstream.Fate.COMPLETED)).noneMatch(uri -> uri.startsWith("/delay"));
    }

    @Test
    void aRedirectToAHostOutsideTheAllowlistIsNotFollowed() {
        try (RecordingUpstream elsewhere = RecordingUpstream.start()) {
            CallResult result = fetch(redirectsTo(elsewhere.url("/delay/1"), 1));

            assertThat(result.failedWith(CallErrorType.HTTP_STATUS)).isTrue();
            assertThat(result.error().status()).isEqualTo(302);
            assertThat(result.error().message()).contains("not followed");
            assertThat(elsewhere.started()).isZero();
        }
    }

    @Test
    void aRefusedConnectionIsAConnectFailure() {
        RecordingUpstream gone = RecordingUpstream.start();
        int port = gone.port();
        gone.close();
        UrlAllowlist any = new UrlAllowlist(properties(List.of("127.0.0.1")));

        CallResult result = client.fetch(0, any.check(0, "http://127.0.0.1:" + port + "/"), Duration.ofSeconds(5))
            .block(WAIT);

        assertThat(result.failedWith(CallErrorType.CONNECT)).isTrue();
    }

    @Test
    void eachSubscriptionMakesANewCallSoRetriesCanResubscribe() {
        var call = client.fetch(0, allowlist.check(0, upstream.url("/delay/1")), Duration.ofSeconds(5));

        StepVerifier.create(call.then(call).then()).verifyComplete();

        await().atMost(WAIT).until(() -> upstream.completed() == 2);
    }

    @Test
    void completedCallsReturnTheirConnectionToThePool() {
        for (int i = 0; i < 5; i++) {
            assertThat(fetch("/delay/1").ok()).isTrue();
            assertThat(fetch("/status/503").error().status()).isEqualTo(503);
        }

        // Ten calls one after another. A connection goes back to the pool just after its response
        // completes, so a call may now and then open a second one; closing each would open ten.
        assertThat(upstream.connectionsOpened()).isLessThanOrEqualTo(3);
    }

    @Test
    void aTimeoutOutsideTheAllowedRangeIsRefused() {
        AllowedUrl url = allowlist.check(0, upstream.url("/delay/1"));

        assertThatIllegalArgumentException().isThrownBy(() -> client.fetch(0, url, Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> client.fetch(0, url, Duration.ofMinutes(5)));
    }

    private String redirectsTo(String target, int hops) {
        String url = target;
        for (int i = 0; i < hops; i++) {
            url = upstream.url("/redirect?to=" + URLEncoder.encode(url, StandardCharsets.UTF_8));
        }
        return url.substring(upstream.url("").length());
    }
}
