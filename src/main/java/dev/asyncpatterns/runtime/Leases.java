package dev.asyncpatterns.runtime;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

import org.reactivestreams.Publisher;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code async with resource:} for resources that must be given back exactly once, whatever the
 * timing of a cancel. Reactor's {@code usingWhen} can lose a resource that arrives while a cancel
 * is crossing it; here the resource is recorded in a peek right behind its source (a peek never
 * drops a value) and the release runs in {@code doFinally}: whichever of the two runs second
 * sees the other's volatile write and releases, so the resource is released once in every order.
 */
final class Leases {

    private Leases() {
    }

    /** Runs {@code body} with the acquired resource and releases it however the body ends. */
    static <R, T> Mono<T> using(Mono<R> acquire, Function<R, Mono<T>> body, Consumer<R> release) {
        return Mono.defer(() -> {
            Lease<R> lease = new Lease<>(release);
            return acquire.doOnNext(lease::hold).flatMap(body).doFinally(signal -> lease.end());
        });
    }

    /** {@link #using(Mono, Function, Consumer)} for a body that is a stream. */
    static <R, T> Flux<T> usingMany(Mono<R> acquire, Function<R, Publisher<T>> body, Consumer<R> release) {
        return Flux.defer(() -> {
            Lease<R> lease = new Lease<>(release);
            return acquire.doOnNext(lease::hold).flatMapMany(body).doFinally(signal -> lease.end());
        });
    }

    private static final class Lease<R> {

        private final Consumer<R> release;
        private final AtomicReference<R> held = new AtomicReference<>();
        private final AtomicBoolean ended = new AtomicBoolean();

        private Lease(Consumer<R> release) {
            this.release = release;
        }

        void hold(R resource) {
            held.set(resource);
            if (ended.get()) {
                releaseOnce();
            }
        }

        void end() {
            ended.set(true);
            releaseOnce();
        }

        private void releaseOnce() {
            R resource = held.getAndSet(null);
            if (resource != null) {
                release.accept(resource);
            }
        }
    }
}
