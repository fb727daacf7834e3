package dev.asyncpatterns.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.testsupport.CallbackReceiver;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link OutboundClient#post}: what a callback delivery sends and how its answers come back. */
class OutboundClientPostTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private CallbackReceiver receiver;
    private OutboundClient client;

    private CallResult post(CallbackReceiver.Reply... replies) {
        receiver = CallbackReceiver.start(replies);
        OutboundProperties properties = OutboundClientTests.properties(List.of("127.0.0.1"));
        UrlAllowlist allowlist = new UrlAllowlist(properties);
        client = new OutboundClient(properties, allowlist, JsonMapper.builder().build());
        return client.post(allowlist.check(0, receiver.url()), "{\"id\":1}".getBytes(StandardCharsets.UTF_8),
                Map.of("webhook-id", "msg_1"), Duration.ofSeconds(5)).block(WAIT);
    }

    @AfterEach
    void stop() {
        client.destroy();
        receiver.close();
    }

    @Test
    void sendsTheBodyAsJsonWithTheGivenHeadersAndReportsTheStatus() {
        CallResult result = post();

        assertThat(result.ok()).isTrue();
        assertThat(result.status()).isEqualTo(200);
        CallbackReceiver.Received received = receiver.received().get(0);
        assertThat(new String(received.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}");
        assertThat(received.headers()).containsEntry("webhook-id", "msg_1").containsEntry("content-type", "application/json");
    }

    @Test
    void aNon2xxIsAnHttpStatusFailureCarryingRetryAfter() {
        CallResult result = post(new CallbackReceiver.Reply(503, "7"));

        assertThat(result.ok()).isFalse();
        assertThat(result.error()).extracting(CallError::type, CallError::status, CallError::retryAfter)
            .containsExactly(CallErrorType.HTTP_STATUS, 503, "7");
    }

    @Test
    void aRedirectStatusIsAFailureAndIsNotFollowed() {
        CallResult result = post(new CallbackReceiver.Reply(307, null));

        assertThat(result.error()).extracting(CallError::type, CallError::status).containsExactly(CallErrorType.HTTP_STATUS, 307);
        assertThat(receiver.received()).hasSize(1);
    }
}
