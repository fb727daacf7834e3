package dev.asyncpatterns.jobs;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.publisher.PublisherProbe;

/**
 * A job type whose outcome the test decides: each run is a {@link Sinks.One} the test completes
 * or fails, wrapped in a {@link PublisherProbe} so the test can see whether the registry
 * cancelled the work.
 */
final class ControlledJobType implements JobType<ControlledJobType.Params> {

    final List<Run> runs = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "controlled";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Mono<String> run(Params params, JobContext context) {
        Sinks.One<String> outcome = Sinks.one();
        PublisherProbe<String> probe = PublisherProbe.of(outcome.asMono());
        runs.add(new Run(outcome, probe, context));
        return probe.mono();
    }

    /** Its {@code level} as CPU work, so admissions have a cost to see. */
    @Override
    public JobCost cost(Params params) {
        return new JobCost(params.level() == null ? 0 : params.level(), 0);
    }

    Run last() {
        return runs.get(runs.size() - 1);
    }

    /** @param level any number up to 10; exists so validation has something to check */
    public record Params(@Min(0) @Max(10) Integer level) {
    }

    record Run(Sinks.One<String> outcome, PublisherProbe<String> probe, JobContext context) {

        void succeed(String value) {
            outcome.tryEmitValue(value);
        }

        void fail(RuntimeException failure) {
            outcome.tryEmitError(failure);
        }
    }
}
