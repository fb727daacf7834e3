package dev.asyncpatterns.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuditWriterTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CountDownLatch release = new CountDownLatch(1);
    private AuditWriter writer;

    @AfterEach
    void close() throws InterruptedException {
        release.countDown();
        writer.destroy();
    }

    @Test
    void linesAreWrittenInOrderOnTheWritersOwnThreadNotTheCallers() {
        writer = new AuditWriter(10, meters);
        List<String> threads = new CopyOnWriteArrayList<>();
        List<Integer> order = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            int line = i;
            writer.write(() -> {
                threads.add(Thread.currentThread().getName());
                order.add(line);
            });
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> order.size() == 5);
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
        assertThat(threads).containsOnly("audit-log");
    }

    @Test
    void pastTheBoundALineIsDroppedAndCountedInsteadOfMakingTheCallerWait() throws InterruptedException {
        writer = new AuditWriter(3, meters);
        CountDownLatch writing = new CountDownLatch(1);
        AtomicInteger written = new AtomicInteger();
        // The writer is stuck on its first line (a console that does not drain), so the rest wait.
        writer.write(() -> {
            writing.countDown();
            awaitRelease();
        });
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 5; i++) {
            writer.write(written::incrementAndGet);
        }

        assertThat(meters.counter("asyncpatterns.audit.dropped").count()).isEqualTo(2);
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> written.get() == 3);
    }

    @Test
    void linesStillWaitingWhenTheContextClosesAreWrittenFirst() throws InterruptedException {
        writer = new AuditWriter(100, meters);
        AtomicInteger written = new AtomicInteger();
        writer.write(this::awaitRelease);
        for (int i = 0; i < 20; i++) {
            writer.write(written::incrementAndGet);
        }

        release.countDown();
        writer.destroy();

        assertThat(written).hasValue(20);
    }

    @Test
    void aLineThatFailsDoesNotStopTheOnesAfterIt() {
        writer = new AuditWriter(10, meters);
        AtomicInteger written = new AtomicInteger();
        writer.write(() -> {
            throw new IllegalStateException("appender broke");
        });
        writer.write(written::incrementAndGet);

        await().atMost(Duration.ofSeconds(10)).until(() -> written.get() == 1);
    }

    private void awaitRelease() {
        try {
            release.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
