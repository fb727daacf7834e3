package dev.asyncpatterns.sim;

import static org.assertj.core.api.Assertions.assertThat;

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

        // Had the timer run on, it would have fired at 1.5 s and met the closed connection. A
        // control delay started after the caller left answers after that moment.
        StepVerifier.create(caller.get().uri("/sim/delay/1600").retrieve().bodyToMono(String.class))
            .expectNextCount(1)
            .expectComplete()
            .verify(Duration.ofSeconds(30));
        assertThat(output.getAll()).doesNotContain("/sim/delay/1500");
    }
}
