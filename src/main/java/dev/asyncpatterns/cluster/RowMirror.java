package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.asyncpatterns.jobs.JobEvent;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobView;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Copies a job running here into its row: its progress throttled to one write per
 * {@link #PROGRESS_WRITE_MS} with one write in flight, and its end through a {@link GroupCommit},
 * so the ends of concurrent jobs share statements. Every write is guarded by this instance and
 * the attempt it owns; one that keeps failing is left to the reaper (the lease runs out).
 */
final class RowMirror {

    private static final Logger log = LoggerFactory.getLogger(RowMirror.class);
    /** Jobs whose progress reaches the row at most this often. */
    static final long PROGRESS_WRITE_MS = 100;

    private final JobRows rows;
    private final String self;
    private final LongSupplier millis;
    private final GroupCommit<JobRows.Finished> finishes;
    private final RepeatedFailureLog failures = new RepeatedFailureLog(log,
            "Could not record jobs in the store; the reaper will settle them");

    RowMirror(JobRows rows, String self, LongSupplier millis) {
        this.rows = rows;
        this.self = self;
        this.millis = millis;
        this.finishes = GroupCommit.ofStoreWrites(batch -> rows.finish(self, batch));
    }

    /**
     * Writes {@code events} (a job's own stream, ending with its terminal state) into the row of
     * {@code attempt}; completes once the end is written, or given up on.
     */
    Mono<Void> mirror(JobId id, int attempt, Flux<JobEvent> events) {
        return Mono.defer(() -> {
            // The first progress write too waits a throttle period: a short job writes no progress, only its end.
            long[] lastProgress = { millis.getAsLong() };
            return events.filter(event -> {
                if (event.data() instanceof JobView view) {
                    return view.state().isTerminal();
                }
                long now = millis.getAsLong();
                if (now - lastProgress[0] < PROGRESS_WRITE_MS) {
                    return false;
                }
                lastProgress[0] = now;
                return true;
            })
                .onBackpressureLatest()
                .concatMap(event -> write(id, attempt, event), 1)
                .then();
        });
    }

    private Mono<?> write(JobId id, int attempt, JobEvent event) {
        Mono<?> write = event.data() instanceof JobView view ? finishes.submit(new JobRows.Finished(view, attempt))
                : rows.progress(id, self, attempt, ((JobView.Progress) event.data()).completed(),
                        ((JobView.Progress) event.data()).total());
        return write.retryWhen(Retry.backoff(5, Duration.ofMillis(200)).filter(StoreUnavailableException::isStoreFailure)
                .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
            .onErrorResume(failure -> {
                failures.failed(failure);
                return Mono.empty();
            });
    }
}
