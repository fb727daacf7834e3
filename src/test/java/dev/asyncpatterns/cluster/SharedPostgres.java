package dev.asyncpatterns.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL server per test JVM (zonky's embedded binaries, no installation), started
 * on first use on the calling (JUnit) thread and stopped by a shutdown hook. Each test class
 * takes a database of its own, so classes never see each other's rows.
 */
public final class SharedPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private SharedPostgres() {
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                }
                catch (IOException ex) {
                    // The JVM is exiting; the server's directory is temporary anyway.
                }
            }));
        }
        return server;
    }

    /** A new, empty database; returns its name. */
    public static String newDatabase() {
        String name = "cluster_" + DATABASES.incrementAndGet();
        execute("CREATE DATABASE " + name);
        return name;
    }

    /** Runs one statement as the superuser, in the server's default database. */
    public static void execute(String sql) {
        execute("postgres", sql);
    }

    /** Runs one statement as the superuser, in {@code database}. */
    public static void execute(String database, String sql) {
        try (Connection connection = server().getDatabase("postgres", database).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(sql, ex);
        }
    }

    /** The first column of the first row of a query, as a number. */
    public static long queryLong(String sql) {
        return queryLong("postgres", sql);
    }

    /** The first column of the first row of a query in {@code database}, as a number. */
    public static long queryLong(String database, String sql) {
        try (Connection connection = server().getDatabase("postgres", database).getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(sql, ex);
        }
    }

    public static String r2dbcUrl(String database) {
        return "r2dbc:postgresql://localhost:" + server().getPort() + "/" + database;
    }
}
