package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobState;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delayed jobs against a real database: due rows are promoted to PENDING once each, however many
 * instances promote at the same moment, rows not yet due stay SCHEDULED, and the one timer of an
 * instance wakes for the next due row without any poll.
 */
class DuePromotionTests {

    private static final Duration BLOCK = Duration.ofSeconds(30);

    private final StoreDatabase db = StoreDatabase.create();
    private final List<Disposable> running = new ArrayList<>();

    @AfterEach
    void stop() {
        running.forEach(Disposable::dispose);
    }

    @Test
    void twoInstancesPromotingAtOnceMoveEachDueRowExactlyOnceAndLeaveFutureRowsScheduled() {
        List<JobId> due = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            due.add(db.scheduled(Instant.now().minusSeconds(1)));
        }
        JobId later = db.scheduled(Instant.now().plus(Duration.ofHours(1)));

        Long promoted = Mono.zip(db.due().promote(DuePromotion.BATCH), db.due().promote(DuePromotion.BATCH), Long::sum)
            .block(BLOCK);

        assertThat(promoted).isEqualTo(40);
        assertThat(due).allSatisfy(id -> assertThat(db.row(id).state()).isEqualTo(JobState.PENDING));
        assertThat(db.row(later).state()).isEqualTo(JobState.SCHEDULED);
        assertThat(db.row(later).view().nextAttemptAt()).isNotNull();
        assertThat(db.due().scheduledCount().block(BLOCK)).isEqualTo(1);
        assertThat(db.due().nextDueInMs().block(BLOCK)).isBetween(3_000_000L, 3_600_000L);
    }

    /**
     * Starts a promotion whose poll never comes in a test's time, once {@code first} (due already)
     * was promoted by its first pass: from then on only its timer can promote anything.
     */
    private DuePromotion startedAfterItsFirstPass(AtomicInteger queued) {
        DuePromotion promotion = new DuePromotion(db.due(), queued::incrementAndGet, System::currentTimeMillis,
                Duration.ofHours(1));
        JobId first = db.scheduled(Instant.now().minusSeconds(1));
        running.add(promotion.start());
        await().atMost(Duration.ofSeconds(20)).until(() -> db.row(first).state() == JobState.PENDING);
        return promotion;
    }

    @Test
    void theTimerPromotesARowWhenItIsDueWithoutWaitingForThePoll() {
        AtomicInteger queued = new AtomicInteger();
        JobId job = db.scheduled(Instant.now().plusSeconds(5));
        // The first pass promotes what is due and arms the timer for the rest.
        startedAfterItsFirstPass(queued);
        assertThat(db.row(job).state()).as("not due yet when the first pass ran").isEqualTo(JobState.SCHEDULED);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(db.row(job).state()).isEqualTo(JobState.PENDING);
            assertThat(queued).hasPositiveValue();
        });
        assertThat(db.row(job).dueAt()).as("kept for the lateness of its start").isNotNull();
    }

    @Test
    void aJobScheduledHereArmsTheTimerAtOnce() {
        DuePromotion promotion = startedAfterItsFirstPass(new AtomicInteger());

        Instant dueAt = Instant.now().plusMillis(500);
        JobId job = db.scheduled(dueAt);
        promotion.scheduled(dueAt.toEpochMilli());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(
                () -> assertThat(db.row(job).state()).isEqualTo(JobState.PENDING));
    }

    @Test
    void nothingScheduledMeansNoNextDueTime() {
        assertThat(db.due().nextDueInMs().blockOptional(BLOCK)).isEmpty();
        assertThat(db.due().promote(DuePromotion.BATCH).block(BLOCK)).isZero();
    }
}
