package dev.asyncpatterns.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.test.StepVerifier;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class SimCancellationIntegrationTests {

    @LocalServerPort
    private int port;

    @Test
    void aCallerThatLeavesMidDelayEndsTheDelayWithoutAnErrorLogged(CapturedOutput output) {
        WebClient caller = WebClient.create("http://127.0.0.1:" + port);

        StepVerifier.create(caller.get().uri("/sim/delay/1500").retrieve().bodyToMono(String.class))
            .expectSubscription()
            .expectNoEvent(Duration.ofMillis(300))
            .thenCancel()
            .verify(Duration.ofSeconds(5));

        // Had the timer run on, it would have fired at 1.5 s and met the closed connection.
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(output.getAll()).doesNotContain("/sim/delay/1500"));
    }
}
