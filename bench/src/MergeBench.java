import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The merge of a fan-out's calls on its own: {@code flatMap} against the service's
 * {@code fanout.CompletionOrder}, at the sizes of W1 and W2, with calls that end from two threads
 * 0.2-2 ms after they start, as network answers would. What differs is the merge's bookkeeping;
 * prints the median and range of each over the measured rounds, after as many unmeasured ones.
 *
 * <p>Not one of run.sh's workloads (run.sh compiles it with the rest of bench/src and leaves it
 * be); run it from the repository root after {@code ./mvnw -q compile}:
 * <pre>
 * m2=~/.m2/repository
 * cp="target/classes:$(ls $m2/io/projectreactor/reactor-core/*&#47;reactor-core-*[0-9].jar | tail -1):$(ls $m2/org/reactivestreams/reactive-streams/*&#47;reactive-streams-*[0-9].jar | tail -1)"
 * java -cp "$cp" bench/src/MergeBench.java 1000 1000 15     # W1: 1,000 calls, all at once
 * java -cp "$cp" bench/src/MergeBench.java 10000 1000 15    # W2: 10,000 calls at concurrency 1,000
 * </pre>
 */
public final class MergeBench {

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        int concurrency = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        // CompletionOrder is package-private: the service needs it nowhere else.
        Method merge = Class.forName("dev.asyncpatterns.fanout.CompletionOrder")
            .getDeclaredMethod("merge", int.class, int.class, IntFunction.class);
        merge.setAccessible(true);
        ScheduledExecutorService answers = Executors.newScheduledThreadPool(2);
        IntFunction<Mono<Integer>> call = index -> Mono.create(sink -> answers.schedule(() -> sink.success(index),
                ThreadLocalRandom.current().nextInt(200, 2000), TimeUnit.MICROSECONDS));
        long[] flatMap = new long[rounds];
        long[] completionOrder = new long[rounds];
        for (int round = -rounds; round < rounds; round++) {
            long start = System.nanoTime();
            Flux.range(0, count).flatMap(call::apply, concurrency).blockLast();
            long between = System.nanoTime();
            ((Flux<?>) merge.invoke(null, count, concurrency, call)).blockLast();
            long end = System.nanoTime();
            if (round >= 0) {
                flatMap[round] = (between - start) / 1_000_000;
                completionOrder[round] = (end - between) / 1_000_000;
            }
        }
        answers.shutdown();
        System.out.printf("%d calls at concurrency %d, %d rounds: flatMap %s, CompletionOrder %s%n", count, concurrency,
                rounds, summary(flatMap), summary(completionOrder));
    }

    private static String summary(long[] millis) {
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        return "median " + sorted[sorted.length / 2] + " ms (" + sorted[0] + "-" + sorted[sorted.length - 1] + ")";
    }
}
