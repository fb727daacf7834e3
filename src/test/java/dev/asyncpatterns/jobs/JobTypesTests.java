package dev.asyncpatterns.jobs;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.asyncpatterns.jobs.type.SleepJobType;
import dev.asyncpatterns.jobs.type.TickerJobType;
import dev.asyncpatterns.runtime.LoopTimers;
import dev.asyncpatterns.web.BadRequestException;

import static dev.asyncpatterns.jobs.JobRegistryFixture.binder;
import static dev.asyncpatterns.jobs.JobRegistryFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobTypesTests {

    private final JobTypes types = new JobTypes(List.of(new TickerJobType(), new ControlledJobType(),
            new SleepJobType(new LoopTimers(List::of))), binder());

    @Test
    void twoTypesWithOneNameAreRefusedWhenTheRegistryIsBuilt() {
        assertThatThrownBy(() -> new JobTypes(List.of(new ControlledJobType(), new ControlledJobType()), binder()))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("'controlled'");
    }

    @Test
    void anUnknownTypeIsA400NamingTheFieldAndListingTheKnownTypesSorted() {
        assertThatThrownBy(() -> types.get("nope"))
            .isInstanceOfSatisfying(BadRequestException.class, refused -> {
                assertThat(refused.getBody().getProperties().get("errors").toString()).contains("field=type");
                assertThat(refused.getBody().getDetail()).endsWith("one of [controlled, sleep, ticker]");
            });
        assertThat(types.names()).containsExactly("controlled", "sleep", "ticker");
    }

    @Test
    void bindTurnsTheRequestParamsIntoTheTypesRecord() {
        assertThat(types.bind(request("controlled", "{\"level\": 3}", null))).isEqualTo(new ControlledJobType.Params(3));
        assertThatThrownBy(() -> types.bind(request("controlled", "{\"level\": 11}", null)))
            .isInstanceOf(InvalidJobRequestException.class);
    }
}
