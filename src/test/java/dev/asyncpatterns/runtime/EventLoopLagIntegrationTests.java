package dev.asyncpatterns.runtime;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The probe watches the loops that really serve HTTP: hogging one from a request shows up. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "asyncpatterns.eventloop.interval=20ms", "asyncpatterns.eventloop.warn-threshold=150ms" })
@AutoConfigureWebTestClient
@Import(EventLoopLagIntegrationTests.LoopHog.class)
@ExtendWith(OutputCaptureExtension.class)
class EventLoopLagIntegrationTests {

    @Autowired
    private WebTestClient client;

    @Autowired
    private EventLoopLagProbe probe;

    @Test
    void aRequestThatHogsItsEventLoopIsSeenByTheProbeAndNamedInAWarning(CapturedOutput output) {
        String loop = client.get().uri("/test/hog-loop?ms=400").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).returnResult().getResponseBody();
        assertThat(loop).as("the handler ran on a Netty event loop").contains("http");
        await().atMost(Duration.ofSeconds(10)).until(() -> probe.maxLagMs(loop) >= 200);
        await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("Event loop " + loop + " ran a task"));
        client.get().uri("/actuator/metrics/asyncpatterns.eventloop.lag?tag=loop:{loop}", loop).exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.measurements[?(@.statistic == 'MAX')].value").isNotEmpty();
    }

    /** Test-only: busy-spins on the event loop that serves the request, the bug the probe exists to catch. */
    @TestComponent
    @RestController
    static class LoopHog {

        @GetMapping("/test/hog-loop")
        String hog(@RequestParam long ms) {
            EventLoopLagProbeTests.spin(Duration.ofMillis(ms));
            return Thread.currentThread().getName();
        }
    }
}
