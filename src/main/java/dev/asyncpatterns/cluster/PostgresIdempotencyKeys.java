package dev.asyncpatterns.cluster;

import java.time.Duration;

import org.springframework.r2dbc.core.DatabaseClient;

import dev.asyncpatterns.jobs.IdempotencyKey;
import dev.asyncpatterns.jobs.IdempotencyKeys;
import dev.asyncpatterns.jobs.JobView;
import dev.asyncpatterns.jobs.RequestFingerprint;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code asyncpatterns.store=postgres}: keys are rows of {@code idempotency_keys}, whose primary key
 * {@code (caller, key)} lets exactly one instance claim a key however many repeats race. A claim
 * whose instance died before answering frees itself after {@link #ADMISSION_BOUND}; an answered key
 * lives for {@code idempotency-ttl}. The reaper deletes expired rows ({@link LeaseRows#expireIdempotencyKeys()}).
 */
class PostgresIdempotencyKeys implements IdempotencyKeys {

    /**
     * Longest a submit may take to be admitted (a few statements, each bounded by the statement
     * timeout): past it an unanswered claim is taken over, so a dead instance cannot block a key.
     */
    static final Duration ADMISSION_BOUND = Duration.ofSeconds(30);

    private final DatabaseClient db;
    private final JsonMapper mapper;
    /**
     * Built here, at start: Jackson builds a type's deserializer on first use under a lock, and two
     * first replays at once would park an event loop on it.
     */
    private final ObjectReader views;
    private final Duration ttl;

    PostgresIdempotencyKeys(DatabaseClient db, JsonMapper mapper, Duration ttl) {
        this.db = db;
        this.mapper = mapper;
        this.views = mapper.readerFor(JobView.class);
        this.ttl = ttl;
    }

    @Override
    public Mono<Remembered> claim(IdempotencyKey key, RequestFingerprint fingerprint) {
        // An expired row (not yet reaped) is taken over in the same statement, so it never blocks a key.
        Mono<Boolean> claimed = db.sql("""
                INSERT INTO idempotency_keys (caller, key, fingerprint, expires_at)
                VALUES (:caller, :key, :fingerprint, now() + :bound * interval '1 millisecond')
                ON CONFLICT (caller, key) DO UPDATE
                    SET fingerprint = EXCLUDED.fingerprint, response = NULL, expires_at = EXCLUDED.expires_at
                    WHERE idempotency_keys.expires_at < now()
                RETURNING true AS claimed""")
            .bind("caller", key.caller()).bind("key", key.value()).bind("fingerprint", fingerprint.sha256())
            .bind("bound", ADMISSION_BOUND.toMillis())
            .map(row -> true).one().defaultIfEmpty(false);
        return claimed.flatMap(mine -> mine ? Mono.<Remembered>empty() : held(key, fingerprint))
            .onErrorMap(StoreUnavailableException::isStoreFailure, StoreUnavailableException::new);
    }

    /**
     * What another submit's claim holds. A claim released between the insert and this read holds
     * nothing any more: answered as still being admitted, the client's retry then claims it.
     */
    private Mono<Remembered> held(IdempotencyKey key, RequestFingerprint fingerprint) {
        return db.sql("SELECT fingerprint, response::text AS response FROM idempotency_keys WHERE caller = :caller AND key = :key")
            .bind("caller", key.caller()).bind("key", key.value())
            .map(row -> {
                String response = row.get("response", String.class);
                return new Remembered(row.get("fingerprint", String.class),
                        response != null ? views.readValue(response) : null);
            })
            .one()
            .defaultIfEmpty(new Remembered(fingerprint.sha256(), null));
    }

    @Override
    public Mono<Void> remember(IdempotencyKey key, RequestFingerprint fingerprint, JobView first) {
        return db.sql("""
                UPDATE idempotency_keys SET response = CAST(:response AS jsonb),
                    expires_at = now() + :ttl * interval '1 millisecond'
                WHERE caller = :caller AND key = :key""")
            .bind("response", mapper.writeValueAsString(first)).bind("ttl", ttl.toMillis())
            .bind("caller", key.caller()).bind("key", key.value())
            .then()
            .onErrorMap(StoreUnavailableException::isStoreFailure, StoreUnavailableException::new);
    }

    @Override
    public Mono<Void> release(IdempotencyKey key) {
        return db.sql("DELETE FROM idempotency_keys WHERE caller = :caller AND key = :key AND response IS NULL")
            .bind("caller", key.caller()).bind("key", key.value())
            .then()
            .onErrorMap(StoreUnavailableException::isStoreFailure, StoreUnavailableException::new);
    }
}
