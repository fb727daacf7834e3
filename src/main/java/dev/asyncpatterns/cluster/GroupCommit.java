package dev.asyncpatterns.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Group commit: writes that arrive while earlier ones are in flight go to the database
 * together, as one statement, in the next batch. One write alone goes at once (no timer, no
 * added latency); under load the statements, round trips and commits per job fall with the
 * batch size, which is what lets many jobs a second through one connection pool.
 *
 * <p>Bounded: at most {@code maxInFlight} statements at a time, {@code maxBatch} items each,
 * {@code maxQueued} items waiting (past that a write fails at once, as a database that cannot
 * keep up). Every item of a batch gets the batch's outcome; a caller that cancels does not
 * take its item out of a batch already sent.
 *
 * @param <T> what one write carries
 */
final class GroupCommit<T> {

    /** Most rows one group-committed statement of the store carries. */
    private static final int STORE_BATCH = 256;
    /** Statements of each kind at a time: the store's kinds together well inside the connection pool (default 10). */
    private static final int STORE_IN_FLIGHT = 3;
    /** Writes of each kind waiting for a statement; past it the database counts as not keeping up (503). */
    private static final int STORE_QUEUED = 20_000;

    private final Function<List<T>, Mono<Void>> write;
    private final int maxBatch;
    private final int maxInFlight;
    private final int maxQueued;
    private final Queue<Item<T>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();

    GroupCommit(int maxBatch, int maxInFlight, int maxQueued, Function<List<T>, Mono<Void>> write) {
        this.write = write;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.maxQueued = maxQueued;
    }

    /** The job store's bounds: each kind of write (inserts, finishes) gets one of these. */
    static <T> GroupCommit<T> ofStoreWrites(Function<List<T>, Mono<Void>> write) {
        return new GroupCommit<>(STORE_BATCH, STORE_IN_FLIGHT, STORE_QUEUED, write);
    }

    /** Completes when the batch holding {@code value} is committed; fails with the batch. */
    Mono<Void> submit(T value) {
        return Mono.defer(() -> {
            if (queued.incrementAndGet() > maxQueued) {
                queued.decrementAndGet();
                return Mono.error(new BacklogFullException(maxQueued));
            }
            Item<T> item = new Item<>(value, Sinks.empty());
            queue.add(item);
            drain();
            return item.done().asMono();
        });
    }

    /** Sends batches while there is work and a free statement slot; safe to call from any thread. */
    private void drain() {
        while (!queue.isEmpty()) {
            int running = inFlight.get();
            if (running >= maxInFlight) {
                // The batch in flight calls drain again when it ends.
                return;
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            List<Item<T>> batch = new ArrayList<>(Math.min(maxBatch, queued.get()));
            Item<T> next;
            while (batch.size() < maxBatch && (next = queue.poll()) != null) {
                batch.add(next);
            }
            queued.addAndGet(-batch.size());
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            send(batch);
        }
    }

    private void send(List<Item<T>> batch) {
        List<T> values = new ArrayList<>(batch.size());
        for (Item<T> item : batch) {
            values.add(item.value());
        }
        Mono.defer(() -> write.apply(values))
            // The next batch goes out before this one's callers continue.
            .doOnTerminate(() -> {
                inFlight.decrementAndGet();
                drain();
            })
            .subscribe(null, failure -> batch.forEach(item -> item.done().tryEmitError(failure)),
                    () -> batch.forEach(item -> item.done().tryEmitEmpty()));
    }

    private record Item<T>(T value, Sinks.Empty<Void> done) {
    }

    /** More writes are waiting than the bound allows: the database is not keeping up (a 503, not a bug). */
    static final class BacklogFullException extends RuntimeException {

        BacklogFullException(int maxQueued) {
            super("more than " + maxQueued + " writes are waiting for the database");
        }
    }
}
