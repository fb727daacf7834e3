package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import org.flywaydb.core.Flyway;

import org.springframework.r2dbc.core.DatabaseClient;

import dev.asyncpatterns.jobs.InstanceLossPolicy;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobState;
import dev.asyncpatterns.jobs.JobView;
import tools.jackson.databind.json.JsonMapper;

/**
 * A migrated database of its own on the shared embedded server, with the store's statement
 * classes over it: for testing one part of the PostgreSQL store without a Spring context.
 */
final class StoreDatabase {

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Duration BLOCK = Duration.ofSeconds(30);

    private final String name;
    private final PostgresqlConnectionFactory connections;
    private final JobRows jobs;

    private StoreDatabase(String name) {
        this.name = name;
        Flyway.configure().dataSource(SharedPostgres.server().getDatabase("postgres", name)).load().migrate();
        this.connections = new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration.builder()
            .host("localhost").port(SharedPostgres.server().getPort()).database(name)
            .username("postgres").password("postgres")
            .statementTimeout(PostgresStoreConfiguration.STATEMENT_TIMEOUT).build());
        this.jobs = new JobRows(DatabaseClient.create(connections), MAPPER);
    }

    static StoreDatabase create() {
        return new StoreDatabase(SharedPostgres.newDatabase());
    }

    String name() {
        return name;
    }

    JobNotifications notifications() {
        return new JobNotifications(connections);
    }

    JobRows jobs() {
        return jobs;
    }

    DueRows due() {
        return new DueRows(DatabaseClient.create(connections));
    }

    RetryRows retries() {
        return new RetryRows(DatabaseClient.create(connections));
    }

    LeaseRows leases() {
        return new LeaseRows(DatabaseClient.create(connections));
    }

    PostgresIdempotencyKeys idempotencyKeys(Duration ttl) {
        return new PostgresIdempotencyKeys(DatabaseClient.create(connections), MAPPER, ttl);
    }

    InstanceRows instances() {
        return new InstanceRows(DatabaseClient.create(connections));
    }

    /** A job of type {@code sleep} waiting for a slot. */
    JobId pending() {
        return insert(InstanceLossPolicy.FAIL, null, JobState.PENDING);
    }

    /** A job of type {@code sleep} running on {@code owner} (attempt 1) under a lease of a minute. */
    JobId running(String owner, InstanceLossPolicy onLoss) {
        return insert(onLoss, owner, JobState.RUNNING);
    }

    /** A job of type {@code sleep} waiting for its start time, {@code dueAt}. */
    JobId scheduled(Instant dueAt) {
        return insert(InstanceLossPolicy.FAIL, null, JobState.SCHEDULED, dueAt);
    }

    private JobId insert(InstanceLossPolicy onLoss, String owner, JobState state) {
        return insert(onLoss, owner, state, null);
    }

    private JobId insert(InstanceLossPolicy onLoss, String owner, JobState state, Instant dueAt) {
        JobId id = JobId.random();
        Instant now = Instant.now();
        JobView view = new JobView(id, "sleep", null, state, MAPPER.createObjectNode().put("durationMs", 0), null,
                new JobView.Progress(0, null), null, null, null, now, owner != null ? now : null, null, "tester",
                null, null, dueAt);
        jobs.inserts().insert(List.of(new NewJob(view, onLoss, owner, owner != null ? 60_000L : null))).block(BLOCK);
        return id;
    }

    JobRow row(JobId id) {
        return jobs.find(id).block(BLOCK);
    }

    /** A connection of its own to this database, for a transaction that holds locks while the store works. */
    java.sql.Connection connect() throws java.sql.SQLException {
        return SharedPostgres.server().getDatabase("postgres", name).getConnection();
    }

    /** The first column of the first row of a query in this database, as a number. */
    long queryLong(String sql) {
        try (java.sql.Connection connection = connect();
                java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
        catch (java.sql.SQLException ex) {
            throw new IllegalStateException(sql, ex);
        }
    }

    /** Runs one statement as the superuser in this database. */
    void execute(String sql) {
        SharedPostgres.execute(name, sql);
    }
}
