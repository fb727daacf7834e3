package dev.asyncpatterns.cluster;

import java.time.Duration;

import io.r2dbc.postgresql.api.Notification;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * {@code LISTEN asyncpatterns_jobs} on a connection of its own (outside the pool, so a dropped
 * one is simply replaced): every payload is published to local subscribers. When the
 * connection ends (the server restarted, {@code pg_terminate_backend}, a network cut) it
 * reconnects and listens again, and tells {@link #reconnects()} so the store can catch up on
 * what it may have missed (the rows are the truth; heartbeats also carry cancel flags).
 */
class JobNotifications {

    private static final Logger log = LoggerFactory.getLogger(JobNotifications.class);
    /** Payloads waiting for a slow local subscriber; past it the subscriber misses some and relies on its fallback poll. */
    private static final int BUFFER = 1024;

    private final ConnectionFactory connections;
    private final Sinks.Many<String> payloads = Sinks.many().multicast().directBestEffort();
    private final Sinks.Many<Integer> reconnects = Sinks.many().multicast().directBestEffort();
    private volatile Disposable listening = Disposables.disposed();
    private volatile boolean connected;

    JobNotifications(ConnectionFactory connections) {
        this.connections = connections instanceof Wrapped<?> pool && pool.unwrap() instanceof ConnectionFactory direct
                ? direct : connections;
    }

    /** Every payload received from now on. */
    Flux<String> payloads() {
        return payloads.asFlux().onBackpressureBuffer(BUFFER, dropped -> { }, BufferOverflowStrategy.DROP_OLDEST);
    }

    /** Fires each time listening (re)starts; the first time too. */
    Flux<Integer> reconnects() {
        return reconnects.asFlux();
    }

    boolean isConnected() {
        return connected;
    }

    void start() {
        listening = Flux.usingWhen(Mono.from(connections.create()), this::listen, this::close)
            .doOnComplete(() -> log.warn("LISTEN connection closed; listening again"))
            .repeat()
            .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(2))
                .transientErrors(true)
                .doBeforeRetry(signal -> {
                    connected = false;
                    log.warn("LISTEN connection failed ({}); listening again", signal.failure().toString());
                }))
            .subscribe(payload -> payloads.tryEmitNext(payload));
    }

    void stop() {
        listening.dispose();
        connected = false;
    }

    private Flux<String> listen(Connection connection) {
        PostgresqlConnection postgres = (PostgresqlConnection) (connection instanceof Wrapped<?> wrapped
                && wrapped.unwrap() instanceof PostgresqlConnection unwrapped ? unwrapped : connection);
        return postgres.createStatement("LISTEN " + JobRows.CHANNEL).execute()
            .flatMap(result -> result.getRowsUpdated())
            .then(Mono.fromRunnable(() -> {
                connected = true;
                reconnects.tryEmitNext(1);
            }))
            .thenMany(postgres.getNotifications())
            .map(Notification::getParameter)
            .doFinally(signal -> connected = false);
    }

    private Mono<Void> close(Connection connection) {
        return Mono.from(connection.close()).onErrorResume(ex -> Mono.empty());
    }
}
