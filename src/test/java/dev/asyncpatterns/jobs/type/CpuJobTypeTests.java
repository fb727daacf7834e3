package dev.asyncpatterns.jobs.type;

import java.math.BigInteger;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.jobs.JobCost;
import dev.asyncpatterns.runtime.RuntimeProperties;
import dev.asyncpatterns.runtime.WorkSchedulers;
import dev.asyncpatterns.testsupport.RecordingJobContext;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CpuJobTypeTests {

    private static final Duration VERIFY = Duration.ofSeconds(30);

    /** One CPU thread, so a test can see whether a job lets other work onto it. */
    private final WorkSchedulers schedulers = new WorkSchedulers(new RuntimeProperties(1, 2, 10));
    private final CpuJobType cpu = new CpuJobType(schedulers);
    private final RecordingJobContext context = new RecordingJobContext();

    @AfterEach
    void disposeSchedulers() {
        schedulers.destroy();
    }

    private static String sumOfSquaresBelow(long n) {
        // (n-1) n (2n-1) / 6, the closed form the loop must agree with.
        BigInteger big = BigInteger.valueOf(n);
        return big.subtract(BigInteger.ONE).multiply(big).multiply(big.shiftLeft(1).subtract(BigInteger.ONE))
            .divide(BigInteger.valueOf(6)).toString();
    }

    @Test
    void itsQuotaCostIsItsLoopIterations() {
        assertThat(cpu.cost(new CpuJobType.Params(123_456L))).isEqualTo(new JobCost(123_456L, 0));
    }

    @Test
    void smallSumsAreExact() {
        StepVerifier.create(cpu.run(new CpuJobType.Params(0L), context))
            .expectNext(new CpuJobType.Result("0")).expectComplete().verify(VERIFY);
        StepVerifier.create(cpu.run(new CpuJobType.Params(5L), context))
            .expectNext(new CpuJobType.Result("30")).expectComplete().verify(VERIFY);
    }

    @Test
    void aSumBeyondSixtyFourBitsIsExactAndComputedInChunksOnTheCpuPool() {
        long n = 4_000_000;
        assertThat(new BigInteger(sumOfSquaresBelow(n))).isGreaterThan(BigInteger.ONE.shiftLeft(64));

        StepVerifier.create(cpu.run(new CpuJobType.Params(n), context))
            .expectNext(new CpuJobType.Result(sumOfSquaresBelow(n)))
            .expectComplete()
            .verify(VERIFY);

        assertThat(context.reports()).hasSize((int) (n / CpuJobType.CHUNK));
        assertThat(context.reports()).allSatisfy(report -> {
            assertThat(report.thread()).startsWith("ap-cpu");
            assertThat(report.total()).isEqualTo(n);
        });
    }

    @Test
    void aLongJobLetsOtherWorkOntoItsCpuThreadBetweenChunks() {
        Disposable job = cpu.run(new CpuJobType.Params(2_000_000_000L), context).subscribe();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> context.count() >= 1);

            String otherThread = Mono.fromCallable(() -> Thread.currentThread().getName())
                .subscribeOn(schedulers.cpu())
                .block(Duration.ofSeconds(10));

            assertThat(otherThread).startsWith("ap-cpu");
            assertThat(context.last().completed()).isLessThan(2_000_000_000L);
        }
        finally {
            job.dispose();
        }
    }

    @Test
    void cancelStopsTheLoopSoNoMoreIterationsRun() throws InterruptedException {
        Disposable job = cpu.run(new CpuJobType.Params(2_000_000_000L), context).subscribe();
        await().atMost(Duration.ofSeconds(10)).until(() -> context.count() >= 3);

        job.dispose();
        // Let a chunk that was mid-flight at the cancel notice it; nothing may follow.
        Mono.delay(Duration.ofMillis(200)).block(VERIFY);
        int afterCancel = context.count();
        Mono.delay(Duration.ofMillis(500)).block(VERIFY);

        assertThat(context.count()).isEqualTo(afterCancel);
        assertThat(context.last().completed()).isLessThan(2_000_000_000L);
        String idle = Mono.fromCallable(() -> "idle").subscribeOn(schedulers.cpu()).block(VERIFY);
        assertThat(idle).isEqualTo("idle");
    }
}
