package dev.asyncpatterns.security;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;

/**
 * The audit logger's appender (logback-spring.xml): audit lines are queued by the thread that logs
 * them (an event loop) and written to the appenders it holds (the console) on a thread of its own,
 * so a slow console never holds up an event loop. Never blocks: a line that meets a full queue is
 * dropped and counted ({@code asyncpatterns.audit.dropped}).
 *
 * <p>Why not Logback's {@code AsyncAppender}: its writer takes lines one by one, so under load it
 * was woken, and went back to sleep, for nearly every audit line, one futex call on each side per
 * request; and it formats each message on the caller's thread. A profile of {@code POST
 * /api/jobs} put the audit line at about a seventh of the request's CPU. Here the writer, once
 * woken by a line, waits {@code batchWindow} for more and writes what came as one batch, and the
 * message is formatted by the writer: the caller only fixes what must be read on its own thread
 * (its name, the MDC). A line is written at most {@code batchWindow} plus a write after it was
 * logged. An appender that does not flush each line ({@link AuditConsoleAppender}) is flushed
 * after each batch, so a batch is one write.
 */
public class AuditAppender extends UnsynchronizedAppenderBase<ILoggingEvent> implements AppenderAttachable<ILoggingEvent> {

    private static final int MAX_BATCH = 1024;
    /**
     * Queued by stop() to wake an idle writer. Not an interrupt: the writer may be inside an
     * appender then, and an interrupted file channel closes.
     */
    private static final ILoggingEvent WAKE_UP = new LoggingEvent();

    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
    private final LongAdder dropped = new LongAdder();
    private int queueSize = 8192;
    private long batchWindowMillis = 10;
    private long maxFlushTimeMillis = 1000;
    private BlockingQueue<ILoggingEvent> queue;
    private Thread writer;

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        if (queueSize < 1) {
            addError("queueSize must be at least 1, was " + queueSize);
            return;
        }
        queue = new ArrayBlockingQueue<>(queueSize);
        writer = new Thread(this::writeUntilStopped, "AuditAppender-" + getName());
        writer.setDaemon(true);
        super.start();
        writer.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        // Read on the caller's thread what later would be another thread's: the rest (the message)
        // is formatted by the writer from the event's arguments.
        event.getThreadName();
        event.getMDCPropertyMap();
        if (!queue.offer(event)) {
            dropped.increment();
        }
    }

    /** Stops taking lines, writes those still queued (for up to {@code maxFlushTime}), then stops the appenders. */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        // A full queue needs no wake-up: the writer is busy with it and sees the stop after that batch.
        queue.offer(WAKE_UP);
        try {
            writer.join(maxFlushTimeMillis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            addWarn(queue.size() + " audit lines not written within " + maxFlushTimeMillis + " ms of stopping");
        }
        appenders.detachAndStopAllAppenders();
    }

    private void writeUntilStopped() {
        List<ILoggingEvent> batch = new ArrayList<>();
        while (isStarted()) {
            try {
                ILoggingEvent first = queue.take();
                if (first == WAKE_UP) {
                    continue;
                }
                batch.add(first);
                // The wait that saves the wake-ups: lines logged meanwhile are queued without waking anyone.
                Thread.sleep(batchWindowMillis);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
            writeBatch(batch);
        }
        // Stopping: what is still queued is written before the appenders stop.
        writeBatch(batch);
    }

    private void writeBatch(List<ILoggingEvent> batch) {
        do {
            queue.drainTo(batch, MAX_BATCH);
            for (ILoggingEvent event : batch) {
                if (event != WAKE_UP) {
                    appenders.appendLoopOnAppenders(event);
                }
            }
            batch.clear();
            flushAppenders();
        } while (!queue.isEmpty());
    }

    /** Appenders that do not flush each line (AuditConsoleAppender) write the batch now, in one go. */
    private void flushAppenders() {
        for (Iterator<Appender<ILoggingEvent>> it = appenders.iteratorForAppenders(); it.hasNext();) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> stream && !stream.isImmediateFlush()) {
                try {
                    stream.getOutputStream().flush();
                }
                catch (IOException ex) {
                    addError("could not write the audit lines of a batch to " + stream.getName(), ex);
                }
            }
        }
    }

    /** Lines dropped because the queue was full when they came. */
    long dropped() {
        return dropped.sum();
    }

    /** Lines that can wait to be written before further ones are dropped (logback-spring.xml: 8,192). */
    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public int getQueueSize() {
        return queueSize;
    }

    /** How long the writer, woken by a line, waits for more before it writes them together. */
    public void setBatchWindow(long millis) {
        this.batchWindowMillis = millis;
    }

    /** How long stopping waits for the queued lines to be written. */
    public void setMaxFlushTime(long millis) {
        this.maxFlushTimeMillis = millis;
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        appenders.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return appenders.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return appenders.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return appenders.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return appenders.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return appenders.detachAppender(name);
    }
}
