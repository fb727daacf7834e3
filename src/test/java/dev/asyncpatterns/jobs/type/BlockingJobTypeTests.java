package dev.asyncpatterns.jobs.type;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.runtime.RuntimeProperties;
import dev.asyncpatterns.runtime.WorkSchedulers;
import dev.asyncpatterns.testsupport.RecordingJobContext;
import dev.asyncpatterns.testsupport.ThreadProbe;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BlockingJobTypeTests {

    private static final Duration VERIFY = Duration.ofSeconds(10);

    private final WorkSchedulers schedulers = new WorkSchedulers(new RuntimeProperties(1, 1, 1));
    private final BlockingJobType blocking = new BlockingJobType(schedulers);
    private final RecordingJobContext context = new RecordingJobContext();

    @AfterEach
    void disposeSchedulers() {
        schedulers.destroy();
    }


    @Test
    void theCallBlocksAPoolThreadNotTheCallerAndAnswersTheBlockedTime() {
        StepVerifier.create(blocking.run(new BlockingJobType.Params(50L), context))
            .expectNext(new BlockingJobType.Result(50))
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void cancelInterruptsTheBlockedThreadSoNoThreadIsLeftInTheCall() {
        Disposable job = blocking.run(new BlockingJobType.Params(3_600_000L), context).subscribe();
        await().atMost(VERIFY).until(() -> ThreadProbe.threadsInside(BlockingJobType.class) == 1);

        job.dispose();

        await().atMost(VERIFY).until(() -> ThreadProbe.threadsInside(BlockingJobType.class) == 0);
        // The freed thread takes new work at once, which a still-sleeping pool of one could not.
        StepVerifier.create(blocking.run(new BlockingJobType.Params(1L), context))
            .expectNext(new BlockingJobType.Result(1))
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void aFullBlockingPoolFailsTheJobInsteadOfQueueingWithoutBound() {
        // One thread and a task queue of one: of four hour-long calls, some must be refused.
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Disposable> jobs = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                jobs.add(blocking.run(new BlockingJobType.Params(3_600_000L), context).subscribe(v -> { }, errors::add));
            }
            assertThat(errors).isNotEmpty().allSatisfy(e -> assertThat(e).isInstanceOf(RejectedExecutionException.class));
        }
        finally {
            jobs.forEach(Disposable::dispose);
        }
        await().atMost(VERIFY).until(() -> ThreadProbe.threadsInside(BlockingJobType.class) == 0);
    }
}
