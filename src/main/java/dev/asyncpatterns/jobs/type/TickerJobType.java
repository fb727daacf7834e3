package dev.asyncpatterns.jobs.type;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.stereotype.Component;

import dev.asyncpatterns.jobs.JobContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The seed's {@code background_work}: {@code while True: tick(); await asyncio.sleep(interval)}.
 * It never ends by itself, only by cancel, timeout or shutdown; each tick is a progress report
 * with no known total. One periodic timer, no thread; cancelling cancels the timer.
 */
@Component
public class TickerJobType extends NamedJobType<TickerJobType.Params> {

    public TickerJobType() {
        super("ticker", Params.class);
    }

    @Override
    public Mono<Void> run(Params params, JobContext context) {
        Duration interval = Duration.ofMillis(params.intervalMs());
        return Flux.interval(interval, interval)
            .doOnNext(tick -> context.progress(tick + 1, 0))
            .then();
    }

    /** @param intervalMs time between ticks; at least 10 ms so a ticker cannot flood the event streams */
    public record Params(@NotNull @Min(10) @Max(3_600_000) Long intervalMs) {
    }
}
