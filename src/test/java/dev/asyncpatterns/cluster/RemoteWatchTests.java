package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.jobs.InstanceLossPolicy;
import dev.asyncpatterns.jobs.JobEvent;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobState;
import dev.asyncpatterns.jobs.JobView;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.awaitility.Awaitility.await;

/**
 * Following a job that runs on another instance, against a real database: notifications carry
 * each change of its row to the watcher, and the poll finds a change whose notification was lost.
 */
class RemoteWatchTests {

    private static final Duration BLOCK = Duration.ofSeconds(30);

    private final StoreDatabase db = StoreDatabase.create();
    private final JobNotifications notifications = db.notifications();

    @BeforeEach
    void listen() {
        notifications.start();
        await().atMost(BLOCK).until(notifications::isConnected);
    }

    @AfterEach
    void stopListening() {
        notifications.stop();
    }

    @Test
    void theEventsOfAJobRunningElsewhereFollowItsNotifiedChangesToItsEnd() {
        JobId id = db.running("there", InstanceLossPolicy.FAIL);
        JobRow first = db.row(id);
        // A poll far beyond the test: every change must come by notification.
        RemoteWatch watch = new RemoteWatch(db.jobs(), notifications, Duration.ofHours(1));

        StepVerifier.create(watch.events(first))
            .expectNextMatches(event -> isState(event, JobState.RUNNING))
            .expectNext(new JobEvent(JobEvent.PROGRESS, new JobView.Progress(0, null)))
            .then(() -> db.jobs().progress(id, "there", 1, 5, 10L).block(BLOCK))
            .expectNext(new JobEvent(JobEvent.PROGRESS, new JobView.Progress(5, 10L)))
            .then(() -> db.jobs().finish("there", List.of(new JobRows.Finished(succeeded(first), 1))).block(BLOCK))
            .expectNext(new JobEvent(JobEvent.PROGRESS, new JobView.Progress(10, 10L)))
            .expectNextMatches(event -> isState(event, JobState.SUCCEEDED))
            .expectComplete()
            .verify(BLOCK);
    }

    @Test
    void aChangeWhoseNotificationWasLostIsFoundByThePoll() {
        JobId id = db.running("there", InstanceLossPolicy.FAIL);
        RemoteWatch watch = new RemoteWatch(db.jobs(), notifications, Duration.ofMillis(200));

        StepVerifier.create(watch.watch(id, Mono.empty()))
            .expectNextMatches(row -> row.state() == JobState.RUNNING)
            // Changed without a NOTIFY, as if the notification got lost.
            .then(() -> db.execute("UPDATE jobs SET state = 'FAILED', finished_at = now() WHERE id = '" + id + "'"))
            .thenConsumeWhile(row -> row.state() == JobState.RUNNING)
            .expectNextMatches(row -> row.state() == JobState.FAILED)
            .thenCancel()
            .verify(BLOCK);
    }

    private static boolean isState(JobEvent event, JobState state) {
        return event.name().equals(JobEvent.STATE) && event.data() instanceof JobView view && view.state() == state;
    }

    private static JobView succeeded(JobRow row) {
        JobView view = row.view();
        return new JobView(view.id(), view.type(), view.name(), JobState.SUCCEEDED, view.params(), view.timeoutMs(),
                new JobView.Progress(10, 10L), null, null, null, view.createdAt(), view.startedAt(), Instant.now(),
                view.createdBy());
    }
}
