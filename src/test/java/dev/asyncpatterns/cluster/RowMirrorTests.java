package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.jobs.InstanceLossPolicy;
import dev.asyncpatterns.jobs.JobEvent;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobState;
import dev.asyncpatterns.jobs.JobView;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mirroring a job running here into its row, against a real database and on a clock the test
 * moves: progress is written at most once per throttle period (the first time one period after
 * the start), the end always, and never into an attempt this instance no longer owns.
 */
class RowMirrorTests {

    private static final Duration BLOCK = Duration.ofSeconds(30);

    private final StoreDatabase db = StoreDatabase.create();
    private final AtomicLong millis = new AtomicLong(1_000);
    private final RowMirror mirror = new RowMirror(db.jobs(), "here", millis::get);
    private final ChannelRecorder channel = ChannelRecorder.listen(db.name());

    @AfterEach
    void stopListening() {
        channel.close();
    }

    @Test
    void progressReachesTheRowAtMostOncePerThrottlePeriodAndTheEndAlways() {
        JobId id = db.running("here", InstanceLossPolicy.FAIL);
        JobRow row = db.row(id);
        Sinks.Many<JobEvent> events = Sinks.many().unicast().onBackpressureBuffer();
        Mono<Void> mirrored = mirror.mirror(id, 1, events.asFlux()).cache();
        mirrored.subscribe();

        for (long completed = 1; completed <= 5; completed++) {
            // 1 at the start, then one every half period: only 3 and 5 are a full period after the last write.
            events.tryEmitNext(new JobEvent(JobEvent.PROGRESS, new JobView.Progress(completed, 5L)));
            millis.addAndGet(RowMirror.PROGRESS_WRITE_MS / 2);
        }
        events.tryEmitNext(new JobEvent(JobEvent.STATE, finished(row, 5)));
        events.tryEmitComplete();
        StepVerifier.create(mirrored).expectComplete().verify(BLOCK);

        // Notifications arrive in commit order: once the end's is here, every progress write's is too.
        await().atMost(BLOCK).until(() -> channel.payloads("s:"), payloads -> !payloads.isEmpty());
        // A progress write may be skipped while the one before is in flight, never one inside a period.
        assertThat(channel.payloads("p:")).isNotEmpty().isSubsetOf("p:" + id + ":3:5", "p:" + id + ":5:5")
            .startsWith("p:" + id + ":3:5");
        JobRow ended = db.row(id);
        assertThat(ended.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(ended.view().progress()).isEqualTo(new JobView.Progress(5, 5L));
        assertThat(channel.payloads("s:")).containsExactly("s:" + id);
    }

    @Test
    void aJobEndingWithinOnePeriodWritesNoProgressOnlyItsEnd() {
        JobId id = db.running("here", InstanceLossPolicy.FAIL);
        JobRow row = db.row(id);

        mirror.mirror(id, 1, Flux.just(new JobEvent(JobEvent.PROGRESS, new JobView.Progress(1, 1L)),
                new JobEvent(JobEvent.STATE, finished(row, 1)))).block(BLOCK);

        await().atMost(BLOCK).until(() -> channel.payloads("s:"), payloads -> !payloads.isEmpty());
        assertThat(channel.payloads("p:")).isEmpty();
        assertThat(db.row(id).state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void anAttemptThisInstanceNoLongerOwnsIsNeverWritten() {
        JobId id = db.running("here", InstanceLossPolicy.RERUN);
        JobRow row = db.row(id);
        // Reaped and claimed again elsewhere meanwhile.
        db.execute("UPDATE jobs SET instance_id = 'there', attempt = 2 WHERE id = '" + id + "'");
        millis.addAndGet(RowMirror.PROGRESS_WRITE_MS);

        mirror.mirror(id, 1, Flux.just(new JobEvent(JobEvent.PROGRESS, new JobView.Progress(1, 1L)),
                new JobEvent(JobEvent.STATE, finished(row, 1)))).block(BLOCK);

        JobRow after = db.row(id);
        assertThat(after.state()).isEqualTo(JobState.RUNNING);
        assertThat(after.owner()).isEqualTo("there");
        assertThat(after.view().progress().completed()).isZero();
    }

    private static JobView finished(JobRow row, long completed) {
        JobView view = row.view();
        return new JobView(view.id(), view.type(), view.name(), JobState.SUCCEEDED, view.params(), view.timeoutMs(),
                new JobView.Progress(completed, completed), StoreDatabase.MAPPER.createObjectNode().put("ok", true),
                null, null, view.createdAt(), view.startedAt(), Instant.now(), view.createdBy());
    }
}
