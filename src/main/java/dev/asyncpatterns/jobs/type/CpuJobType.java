package dev.asyncpatterns.jobs.type;

import java.math.BigInteger;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.stereotype.Component;

import dev.asyncpatterns.jobs.JobContext;
import dev.asyncpatterns.jobs.JobCost;
import dev.asyncpatterns.runtime.WorkSchedulers;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * CPU-bound work, {@code loop.run_in_executor(process_pool, sum_of_squares, n)}: the sum of
 * {@code i*i} for {@code i < n}, exact (128-bit accumulator, answered as a decimal string).
 * It runs on the bounded CPU pool, never on the event loop, in chunks: each chunk is re-scheduled
 * so one job does not hog a CPU thread against other work, reports progress, and the loop reads
 * the cancellation flag every {@value #CHECK_EVERY} iterations (well under 10 ms of work).
 */
@Component
class CpuJobType extends NamedJobType<CpuJobType.Params> {

    /** Iterations per scheduled chunk: about a millisecond of work. */
    static final int CHUNK = 1 << 20;
    static final int CHECK_EVERY = 1 << 16;

    private final Scheduler cpu;

    CpuJobType(WorkSchedulers schedulers) {
        super("cpu", Params.class);
        this.cpu = schedulers.cpu();
    }

    @Override
    public Mono<Result> run(Params params, JobContext context) {
        return Mono.create(sink -> {
            SumOfSquares loop = new SumOfSquares(params.n(), context, sink, cpu);
            sink.onCancel(loop::cancel);
            loop.scheduleNext();
        });
    }

    /** Its {@code n}: the quota counts CPU work in loop iterations, so a few huge jobs weigh what they cost. */
    @Override
    public JobCost cost(Params params) {
        return new JobCost(params.n(), 0);
    }

    /**
     * @param n the bound: sums {@code i*i} for {@code 0 <= i < n}; at most two billion, a few seconds of work
     */
    public record Params(@NotNull @Min(0) @Max(2_000_000_000L) Long n) {
    }

    /** @param value the sum as a decimal string (it outgrows a long) */
    public record Result(String value) {
    }

    /** The loop's state between chunks: where it stands and the 128-bit running sum. */
    private static final class SumOfSquares implements Runnable {

        private final long n;
        private final JobContext context;
        private final MonoSink<Result> sink;
        private final Scheduler cpu;
        private volatile boolean cancelled;
        private volatile Disposable next = () -> { };
        private long from;
        private long high;
        private long low;

        SumOfSquares(long n, JobContext context, MonoSink<Result> sink, Scheduler cpu) {
            this.n = n;
            this.context = context;
            this.sink = sink;
            this.cpu = cpu;
        }

        void scheduleNext() {
            next = cpu.schedule(this);
            if (cancelled) {
                next.dispose();
            }
        }

        void cancel() {
            cancelled = true;
            next.dispose();
        }

        @Override
        public void run() {
            long end = Math.min(n, from + CHUNK);
            for (long i = from; i < end; i++) {
                if ((i & (CHECK_EVERY - 1)) == 0 && cancelled) {
                    return;
                }
                long square = i * i;
                low += square;
                if (Long.compareUnsigned(low, square) < 0) {
                    high++;
                }
            }
            from = end;
            if (cancelled) {
                return;
            }
            if (from >= n) {
                sink.success(new Result(toBigInteger(high, low).toString()));
                return;
            }
            context.progress(from, n);
            scheduleNext();
        }

        private static BigInteger toBigInteger(long high, long low) {
            BigInteger unsignedLow = new BigInteger(Long.toUnsignedString(low));
            return BigInteger.valueOf(high).shiftLeft(64).add(unsignedLow);
        }
    }
}
