package dev.asyncpatterns.runtime;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class DebugModeTests {

    /** An error from a pipeline assembled now; with debug mode on it carries the assembly site. */
    private static Throwable failingPipelineError() {
        Mono<Integer> failing = Flux.just(1).<Integer>map(i -> {
            throw new IllegalStateException("boom");
        }).next();
        return catchThrowable(() -> failing.block(Duration.ofSeconds(5)));
    }

    private static boolean hasAssemblyTrace(Throwable error) {
        for (Throwable suppressed : error.getSuppressed()) {
            if (suppressed.getClass().getSimpleName().contains("OnAssemblyException")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void enabledItAddsAssemblyTracebacksAndClosingTheContextTakesThemAway() {
        DebugMode debug = new DebugMode(new DebugProperties(true));
        try {
            assertThat(debug.isEnabled()).isTrue();
            assertThat(hasAssemblyTrace(failingPipelineError())).isTrue();
        }
        finally {
            debug.destroy();
        }
        assertThat(hasAssemblyTrace(failingPipelineError())).isFalse();
    }

    @Test
    void disabledByDefaultItChangesNothing() {
        DebugMode debug = new DebugMode(new DebugProperties(false));
        assertThat(hasAssemblyTrace(failingPipelineError())).isFalse();
        debug.destroy();
    }
}
