package dev.asyncpatterns.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.asyncpatterns.testsupport.RecordingUpstream;

/** The client as the application wires it: Boot's WebClient.Builder and the default allowlist. */
@SpringBootTest
class OutboundClientIntegrationTests {

    @Autowired
    private OutboundClient client;

    @Autowired
    private UrlAllowlist allowlist;

    @Test
    void theDefaultAllowlistReachesALocalUpstream() {
        try (RecordingUpstream upstream = RecordingUpstream.start()) {
            CallResult result = client.fetch(0, allowlist.check(0, upstream.url("/delay/5"))).block(Duration.ofSeconds(10));

            assertThat(result.ok()).isTrue();
            assertThat(result.body().get("delayedMs").asInt()).isEqualTo(5);
        }
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertThat(client.defaultTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(client.maxTimeout()).isEqualTo(Duration.ofSeconds(120));
    }
}
