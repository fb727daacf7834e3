package dev.asyncpatterns.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The training run's requests, sent to a started service as the Docker image's training run sends
 * them (the listener that sends them and then exits the JVM is only on with
 * {@code asyncpatterns.training-run=true}; the Dockerfile rehearsal in CI runs it for real).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TrainingRunIntegrationTests {

    @LocalServerPort
    private int port;

    @Autowired
    private ApplicationContext context;

    @Autowired
    private MeterRegistry meters;

    @Test
    void isOffUnlessAsked() {
        assertThat(context.getBeanNamesForType(TrainingRun.class)).isEmpty();
    }

    @Test
    void sendsEveryRoundOfItsRequestsAndEachIsAnsweredAsExpected() {
        double jobsBefore = startedJobs();
        double gathersBefore = gathers();

        TrainingRun.train("http://127.0.0.1:" + port);

        assertThat(startedJobs() - jobsBefore).isEqualTo(TrainingRun.ROUNDS);
        // The server times an exchange once it has ended, which may be just after the client has the answer.
        await().atMost(Duration.ofSeconds(10)).until(() -> gathers() - gathersBefore == TrainingRun.ROUNDS);
    }

    @Test
    void failsNamingTheRequestThatWasAnsweredOtherwise() {
        assertThatIllegalStateException()
            .isThrownBy(() -> TrainingRun.train("http://127.0.0.1:" + port + "/elsewhere"))
            .withMessageContaining("GET /actuator/health/readiness answered 404");
    }

    private double startedJobs() {
        return meters.find("asyncpatterns.jobs.started").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private double gathers() {
        return meters.find("http.server.requests").tag("uri", "/api/fanout/gather").timers().stream()
                .mapToDouble(t -> t.count()).sum();
    }
}
