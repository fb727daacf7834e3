package dev.asyncpatterns.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import reactor.core.Disposable;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncQueueTests {

    private static final Duration VERIFY = Duration.ofSeconds(5);

    private final AsyncQueue<String> queue = new AsyncQueue<>(2);

    @Test
    void itemsComeOutInTheOrderTheyWentIn() {
        StepVerifier.create(queue.put("a").then(queue.put("b")).then(queue.take()).concatWith(queue.take()))
            .expectNext("a", "b")
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void putWaitsWhileFullAndResumesWhenATakeMakesRoom() {
        queue.put("a").block(VERIFY);
        queue.put("b").block(VERIFY);
        StepVerifier.create(queue.put("c"))
            .expectSubscription()
            .then(() -> assertThat(queue.waiters()).isEqualTo(1))
            .then(() -> assertThat(queue.take().block(VERIFY)).isEqualTo("a"))
            .expectComplete()
            .verify(VERIFY);
        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.take().block(VERIFY)).isEqualTo("b");
        assertThat(queue.take().block(VERIFY)).isEqualTo("c");
    }

    @Test
    void takeWaitsWhileEmptyAndGetsTheNextPut() {
        StepVerifier.create(queue.take())
            .expectSubscription()
            .then(() -> queue.put("x").subscribe())
            .expectNext("x")
            .expectComplete()
            .verify(VERIFY);
        assertThat(queue.size()).isZero();
    }

    @Test
    void aCancelledTakerNeverReceivesAnItem() {
        Disposable cancelled = queue.take().subscribe(item -> {
            throw new AssertionError("cancelled taker received " + item);
        });
        cancelled.dispose();
        assertThat(queue.waiters()).isZero();
        queue.put("kept").block(VERIFY);
        assertThat(queue.take().block(VERIFY)).isEqualTo("kept");
    }

    @Test
    void aCancelledPutterLeavesNoItemBehind() {
        queue.put("a").block(VERIFY);
        queue.put("b").block(VERIFY);
        Disposable cancelled = queue.put("never").subscribe();
        cancelled.dispose();
        assertThat(queue.waiters()).isZero();
        assertThat(queue.take().block(VERIFY)).isEqualTo("a");
        assertThat(queue.take().block(VERIFY)).isEqualTo("b");
        assertThat(queue.size()).isZero();
    }

    @Test
    void closeWakesEveryWaiter() {
        StepVerifier.create(queue.take())
            .expectSubscription()
            .then(queue::close)
            .expectComplete()
            .verify(VERIFY);
        StepVerifier.create(queue.put("late"))
            .expectError(AsyncQueue.ClosedException.class)
            .verify(VERIFY);
        assertThat(queue.waiters()).isZero();
    }

    @Test
    void closeFailsWaitingPutsAndLetsTakersDrainWhatIsLeft() {
        queue.put("a").block(VERIFY);
        queue.put("b").block(VERIFY);
        StepVerifier.create(queue.put("c"))
            .expectSubscription()
            .then(queue::close)
            .expectError(AsyncQueue.ClosedException.class)
            .verify(VERIFY);
        StepVerifier.create(queue.take().concatWith(queue.take()).concatWith(queue.take()))
            .expectNext("a", "b")
            .expectComplete()
            .verify(VERIFY);
    }

    @Test
    void aPutAdmittedByATakeCompletesOnlyAfterThatTakeHasItsItem() {
        queue.put("a").block(VERIFY);
        queue.put("b").block(VERIFY);
        List<String> order = new ArrayList<>();
        queue.put("c").subscribe(null, null, () -> order.add("put c done, size " + queue.size()));
        queue.take().subscribe(item -> order.add("took " + item + ", size " + queue.size()));
        // Counting completed puts minus completed takes must never exceed the capacity.
        assertThat(order).containsExactly("took a, size 2", "put c done, size 2");
    }
}
