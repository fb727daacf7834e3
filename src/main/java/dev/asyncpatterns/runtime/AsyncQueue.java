package dev.asyncpatterns.runtime;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * asyncio's {@code Queue(maxsize)} for Reactor: a bounded FIFO where {@link #put} waits while
 * the queue is full and {@link #take} waits while it is empty, without holding a thread.
 *
 * <p>Waiters are served in arrival order. A waiter cancelled while waiting is removed and never
 * receives an item; an item handed to a taker that was cancelled at the same instant is
 * discarded by Reactor and put back at the head, so no item is lost. {@link #close()} wakes
 * every waiter: pending puts fail with {@link ClosedException}, takes drain what is left and
 * then complete empty. All state sits behind the queue's monitor; no callback runs under it.
 *
 * @param <T> the item type
 */
public final class AsyncQueue<T> {

    private final int capacity;
    private final Deque<T> items = new ArrayDeque<>();
    private final Deque<Waiter<T>> takers = new ArrayDeque<>();
    private final Deque<PutWaiter<T>> putters = new ArrayDeque<>();
    private boolean closed;

    public AsyncQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    /** Adds an item, waiting while the queue is full; fails with {@link ClosedException} once closed. */
    public Mono<Void> put(T item) {
        return Mono.create(sink -> {
            Waiter<T> taker;
            PutWaiter<T> waiter = null;
            synchronized (this) {
                if (closed) {
                    sink.error(new ClosedException());
                    return;
                }
                taker = takers.poll();
                if (taker == null) {
                    if (items.size() < capacity) {
                        items.add(item);
                    }
                    else {
                        waiter = new PutWaiter<>(item, sink);
                        putters.add(waiter);
                    }
                }
            }
            if (waiter != null) {
                PutWaiter<T> registered = waiter;
                sink.onCancel(() -> removePutter(registered));
                return;
            }
            if (taker != null) {
                taker.sink.success(item);
            }
            sink.success();
        });
    }

    /** Takes the oldest item, waiting while empty; completes empty once closed and drained. */
    public Mono<T> take() {
        Mono<T> take = Mono.create(sink -> {
            T item;
            PutWaiter<T> admitted = null;
            Waiter<T> waiter = null;
            synchronized (this) {
                item = items.poll();
                if (item != null) {
                    admitted = putters.poll();
                    if (admitted != null) {
                        items.add(admitted.item);
                    }
                }
                else if (!closed) {
                    waiter = new Waiter<>(sink);
                    takers.add(waiter);
                }
            }
            if (waiter != null) {
                Waiter<T> registered = waiter;
                sink.onCancel(() -> removeTaker(registered));
                return;
            }
            // The taker gets its item before the putter it made room for resumes (asyncio's
            // order too): an observer counting completed puts and takes never sees capacity + 1.
            if (item != null) {
                sink.success(item);
            }
            else {
                sink.success();
            }
            if (admitted != null) {
                admitted.sink.success();
            }
        });
        // An item handed over just as its taker was cancelled is discarded by the sink: keep it.
        return take.doOnDiscard(Object.class, this::returnToHead);
    }

    /** Closes the queue: no more puts; waiting puts fail, waiting takes complete empty. */
    public void close() {
        Deque<Waiter<T>> wokenTakers;
        Deque<PutWaiter<T>> wokenPutters;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            wokenTakers = new ArrayDeque<>(takers);
            wokenPutters = new ArrayDeque<>(putters);
            takers.clear();
            putters.clear();
        }
        wokenTakers.forEach(w -> w.sink.success());
        wokenPutters.forEach(w -> w.sink.error(new ClosedException()));
    }

    /** Closes the queue and drops whatever it still holds, releasing the items to the GC. */
    public void clear() {
        close();
        synchronized (this) {
            items.clear();
        }
    }

    public synchronized int size() {
        return items.size();
    }

    public int capacity() {
        return capacity;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Waiting takers and putters, so tests and metrics can see nobody is left waiting. */
    public synchronized int waiters() {
        return takers.size() + putters.size();
    }

    @SuppressWarnings("unchecked")
    private void returnToHead(Object item) {
        Waiter<T> taker;
        synchronized (this) {
            taker = takers.poll();
            if (taker == null) {
                items.addFirst((T) item);
                return;
            }
        }
        taker.sink.success((T) item);
    }

    private synchronized void removeTaker(Waiter<T> waiter) {
        takers.remove(waiter);
    }

    private synchronized void removePutter(PutWaiter<T> waiter) {
        for (Iterator<PutWaiter<T>> it = putters.iterator(); it.hasNext();) {
            if (it.next() == waiter) {
                it.remove();
                return;
            }
        }
    }

    private record Waiter<T>(MonoSink<T> sink) {
    }

    private record PutWaiter<T>(T item, MonoSink<Void> sink) {
    }

    /** Raised to a producer whose put meets a closed queue ({@code asyncio.QueueShutDown}). */
    public static final class ClosedException extends IllegalStateException {

        public ClosedException() {
            super("queue is closed");
        }
    }
}
