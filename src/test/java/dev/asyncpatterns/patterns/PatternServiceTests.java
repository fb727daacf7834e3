package dev.asyncpatterns.patterns;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponse;

import reactor.core.Disposable;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class PatternServiceTests {

    private final ValidatorFactory validation = Validation.buildDefaultValidatorFactory();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PatternService service = new PatternService(List.of(new EventPattern()), JsonMapper.builder().build(),
            validation.getValidator(), new PatternsProperties(Duration.ofSeconds(30), 1), registry);

    @AfterEach
    void closeValidation() {
        validation.close();
    }

    @Test
    void aRunBeyondTheConcurrencyLimitIsRefusedWith429UntilTheFirstEnds() {
        // Long enough that it is certainly still running when the second run asks.
        Disposable first = service.run("event", JsonMapper.builder().build().readTree("{\"setAfterMs\":20000}"))
            .subscribe();
        StepVerifier.create(service.run("event", null))
            .expectErrorSatisfies(e -> {
                assertThat(((ErrorResponse) e).getStatusCode().value()).isEqualTo(429);
                assertThat(((ErrorResponse) e).getHeaders().getFirst("Retry-After")).isEqualTo("1");
            })
            .verify(Duration.ofSeconds(5));
        first.dispose();
        StepVerifier.create(service.run("event", null))
            .assertNext(result -> assertThat(result.pattern()).isEqualTo("event"))
            .expectComplete()
            .verify(Duration.ofSeconds(10));
        assertThat(registry.get("asyncpatterns.patterns.runs").tag("outcome", "cancelled").timer().count()).isEqualTo(1);
        assertThat(registry.get("asyncpatterns.patterns.runs").tag("outcome", "ok").timer().count()).isEqualTo(1);
    }
}
