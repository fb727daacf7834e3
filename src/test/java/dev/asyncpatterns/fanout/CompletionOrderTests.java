package dev.asyncpatterns.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

class CompletionOrderTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Calls whose outcome the test decides, recording which started and which were cancelled. */
    private static final class Calls {

        final List<Sinks.One<Integer>> results = new ArrayList<>();
        final AtomicInteger cancelled = new AtomicInteger();

        Mono<Integer> call(int index) {
            Sinks.One<Integer> result = Sinks.one();
            results.add(result);
            return result.asMono().doOnCancel(cancelled::incrementAndGet);
        }

        void finish(int index) {
            results.get(index).tryEmitValue(index).orThrow();
        }

        int started() {
            return results.size();
        }
    }

    @Test
    void resultsComeInCompletionOrderWithAtMostConcurrencyCallsRunning() {
        Calls calls = new Calls();

        StepVerifier.create(CompletionOrder.merge(4, 2, calls::call))
            .then(() -> assertThat(calls.started()).isEqualTo(2))
            .then(() -> calls.finish(1))
            .expectNext(1)
            .then(() -> assertThat(calls.started()).isEqualTo(3))
            .then(() -> calls.finish(2))
            .expectNext(2)
            .then(() -> calls.finish(0))
            .expectNext(0)
            .then(() -> calls.finish(3))
            .expectNext(3)
            .expectComplete()
            .verify(WAIT);
        assertThat(calls.cancelled).hasValue(0);
    }

    @Test
    void cancellingCancelsEveryRunningCallAndStartsNoMore() {
        Calls calls = new Calls();
        List<Integer> seen = new ArrayList<>();
        Disposable subscription = CompletionOrder.merge(10, 3, calls::call).subscribe(seen::add);

        calls.finish(0);
        assertThat(seen).containsExactly(0);
        assertThat(calls.started()).isEqualTo(4);

        subscription.dispose();

        assertThat(calls.cancelled).hasValue(3);
        assertThat(calls.started()).isEqualTo(4);
    }

    @Test
    void aFailingCallFailsTheStreamAndCancelsTheOthers() {
        Calls calls = new Calls();

        StepVerifier.create(CompletionOrder.merge(5, 5, calls::call))
            .then(() -> calls.results.get(2).tryEmitError(new IllegalStateException("boom")).orThrow())
            .expectErrorMessage("boom")
            .verify(WAIT);

        assertThat(calls.cancelled).hasValue(4);
    }

    @Test
    void resultsNotYetAskedForCountAgainstTheConcurrency() {
        Calls calls = new Calls();

        StepVerifier.create(CompletionOrder.merge(10, 3, calls::call), 1)
            .then(() -> assertThat(calls.started()).isEqualTo(3))
            .then(() -> calls.finish(0))
            .expectNext(0)
            .then(() -> calls.finish(1))
            .then(() -> calls.finish(2))
            // Two results wait for demand: only one call may run beside them.
            .then(() -> assertThat(calls.started()).isEqualTo(4))
            .thenRequest(2)
            .expectNext(1, 2)
            .thenRequest(1)
            .then(() -> assertThat(calls.started()).isEqualTo(6))
            .thenCancel()
            .verify(WAIT);
    }

    @Test
    void callsThatFinishAtOnceDoNotDeepenTheStack() {
        int count = 200_000;

        StepVerifier.create(CompletionOrder.merge(count, 1, Mono::just).count())
            .expectNext((long) count)
            .expectComplete()
            .verify(WAIT);
    }

    @Test
    void noCallsCompleteAtOnce() {
        StepVerifier.create(CompletionOrder.merge(0, 1, Mono::just)).expectComplete().verify(WAIT);
    }

    @Test
    void callsSeeTheSubscribersContext() {
        StepVerifier.create(CompletionOrder.merge(1, 1,
                index -> Mono.deferContextual(context -> Mono.just(context.<String>get("caller"))))
            .contextWrite(Context.of("caller", "alice")))
            .expectNext("alice")
            .expectComplete()
            .verify(WAIT);
    }

    /**
     * Why this class exists: with n calls in flight, flatMap visits every one still running each
     * time one ends (n²/2 visits in all), where CompletionOrder touches only the call that ended.
     * Counted as visits, not timed, so the machine's speed does not matter; bench/README.md has
     * what the visits cost.
     */
    @Test
    void flatMapLooksAtEveryCallStillInFlightEachTimeOneEndsWhereCompletionOrderLooksAtNone() {
        int count = 1_000;
        List<LookCountingCall> viaFlatMap = new ArrayList<>();
        Flux.range(0, count).flatMap(index -> add(viaFlatMap, new LookCountingCall(index)), count).subscribe();
        List<LookCountingCall> viaCompletionOrder = new ArrayList<>();
        CompletionOrder.merge(count, count, index -> add(viaCompletionOrder, new LookCountingCall(index))).subscribe();

        viaFlatMap.forEach(LookCountingCall::finish);
        viaCompletionOrder.forEach(LookCountingCall::finish);

        assertThat(viaFlatMap.stream().mapToLong(LookCountingCall::looks).sum()).isGreaterThan((long) count * count / 4);
        assertThat(viaCompletionOrder.stream().mapToLong(LookCountingCall::looks).sum()).isZero();
    }

    private static Mono<Integer> add(List<LookCountingCall> calls, LookCountingCall call) {
        calls.add(call);
        return call;
    }

    /**
     * A call that offers queue fusion, as many of Reactor's own sources do, and counts each time
     * its subscriber looks into it for a result (poll, isEmpty, size). flatMap makes the same pass
     * over calls that do not fuse; fusion only makes its visits countable.
     */
    private static final class LookCountingCall extends Mono<Integer> implements Fuseable {

        private final int index;
        private final AtomicLong looks = new AtomicLong();
        private CoreSubscriber<? super Integer> subscriber;
        private boolean fused;
        private boolean ready;
        private boolean taken;

        LookCountingCall(int index) {
            this.index = index;
        }

        long looks() {
            return looks.get();
        }

        @Override
        public void subscribe(CoreSubscriber<? super Integer> actual) {
            subscriber = actual;
            actual.onSubscribe(new QueueSubscription<Integer>() {

                @Override
                public int requestFusion(int requestedMode) {
                    fused = (requestedMode & ASYNC) != 0;
                    return fused ? ASYNC : NONE;
                }

                @Override
                public Integer poll() {
                    looks.incrementAndGet();
                    if (!ready || taken) {
                        return null;
                    }
                    taken = true;
                    return index;
                }

                @Override
                public int size() {
                    looks.incrementAndGet();
                    return ready && !taken ? 1 : 0;
                }

                @Override
                public boolean isEmpty() {
                    return size() == 0;
                }

                @Override
                public void clear() {
                    taken = true;
                }

                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
        }

        void finish() {
            ready = true;
            if (fused) {
                subscriber.onNext(null);
            }
            else {
                subscriber.onNext(index);
            }
            subscriber.onComplete();
        }
    }
}
