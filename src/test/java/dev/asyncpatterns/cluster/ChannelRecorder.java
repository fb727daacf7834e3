package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.api.Notification;
import io.r2dbc.postgresql.api.PostgresqlConnection;

import reactor.core.Disposable;

/**
 * {@code LISTEN asyncpatterns_jobs} on a connection of the test's own, recording every payload
 * the instances send: what reached the database, seen from outside the service.
 */
final class ChannelRecorder implements AutoCloseable {

    private final PostgresqlConnection connection;
    private final Queue<String> payloads = new ConcurrentLinkedQueue<>();
    private final Disposable listening;

    private ChannelRecorder(PostgresqlConnection connection) {
        this.connection = connection;
        this.listening = connection.getNotifications().map(Notification::getParameter).subscribe(payloads::add);
    }

    /** Listens on {@code database}; returns once the LISTEN is in place, so no later payload is missed. */
    static ChannelRecorder listen(String database) {
        PostgresqlConnection connection = new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration.builder()
            .host("localhost").port(SharedPostgres.server().getPort()).database(database)
            .username("postgres").password("postgres").build())
            .create().block(Duration.ofSeconds(10));
        // Subscribed before the LISTEN, so the first payload cannot slip between the two.
        ChannelRecorder recorder = new ChannelRecorder(connection);
        connection.createStatement("LISTEN " + JobRows.CHANNEL).execute().flatMap(result -> result.getRowsUpdated())
            .then().block(Duration.ofSeconds(10));
        return recorder;
    }

    /** The payloads received so far that start with {@code prefix}, in arrival (commit) order. */
    List<String> payloads(String prefix) {
        return payloads.stream().filter(payload -> payload.startsWith(prefix)).toList();
    }

    @Override
    public void close() {
        listening.dispose();
        connection.close().block(Duration.ofSeconds(10));
    }
}
