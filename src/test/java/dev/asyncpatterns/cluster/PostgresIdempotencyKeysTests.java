package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.asyncpatterns.jobs.IdempotencyKey;
import dev.asyncpatterns.jobs.IdempotencyKeys.Remembered;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobState;
import dev.asyncpatterns.jobs.JobView;
import dev.asyncpatterns.jobs.RequestFingerprint;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys as rows: of racing claims exactly one wins, the others read what the key holds; an answer
 * survives its job; a claim left by a dead instance is taken over after the admission bound; the
 * reaper deletes what expired.
 */
class PostgresIdempotencyKeysTests {

    private static final Duration BLOCK = Duration.ofSeconds(30);
    private static final IdempotencyKey KEY = new IdempotencyKey("alice", "k1");
    private static final RequestFingerprint BODY = new RequestFingerprint("a".repeat(64), 10);

    private final StoreDatabase db = StoreDatabase.create();
    private final PostgresIdempotencyKeys keys = db.idempotencyKeys(Duration.ofHours(24));

    @Test
    void ofManyRacingClaimsExactlyOneWinsAndTheOthersSeeItBeingAdmitted() {
        List<Remembered> held = Flux.range(0, 16)
            .flatMap(i -> keys.claim(KEY, BODY).defaultIfEmpty(new Remembered("won", null)))
            .collectList().block(BLOCK);

        assertThat(held).filteredOn(remembered -> remembered.sha256().equals("won")).hasSize(1);
        assertThat(held).filteredOn(remembered -> !remembered.sha256().equals("won"))
            .hasSize(15).allSatisfy(remembered -> assertThat(remembered).isEqualTo(new Remembered(BODY.sha256(), null)));
    }

    @Test
    void anAnsweredKeyReplaysTheFirstJobJsonEvenAfterTheJobRowIsGone() {
        JobView first = new JobView(JobId.random(), "sleep", "n", JobState.RUNNING, Map.of("durationMs", 100), 5000L,
                new JobView.Progress(0, 2L), null, null, null, Instant.parse("2026-12-04T20:00:00Z"),
                Instant.parse("2026-12-04T20:00:00Z"), null, "alice").placed("node-a", 1);
        assertThat(keys.claim(KEY, BODY).blockOptional(BLOCK)).isEmpty();
        keys.remember(KEY, BODY, first).block(BLOCK);
        db.execute("DELETE FROM jobs");

        Remembered held = keys.claim(KEY, BODY).block(BLOCK);

        assertThat(held.sha256()).isEqualTo(BODY.sha256());
        assertThat(held.first()).usingRecursiveComparison().isEqualTo(first);
        assertThat(db.queryLong("SELECT count(*) FROM idempotency_keys WHERE expires_at > now() + interval '23 hours'"))
            .isOne();
    }

    @Test
    void aReleasedClaimCanBeClaimedAgainButAnAnsweredOneIsNotReleased() {
        keys.claim(KEY, BODY).block(BLOCK);
        keys.release(KEY).block(BLOCK);
        assertThat(keys.claim(KEY, BODY).blockOptional(BLOCK)).as("claimed again").isEmpty();

        keys.remember(KEY, BODY, new JobView(JobId.random(), "sleep", null, JobState.RUNNING, Map.of(), null,
                new JobView.Progress(0, null), null, null, null, Instant.now(), null, null, "alice")).block(BLOCK);
        keys.release(KEY).block(BLOCK);
        assertThat(keys.claim(KEY, BODY).block(BLOCK).first()).isNotNull();
    }

    @Test
    void anExpiredClaimIsTakenOverAndTheReaperDeletesExpiredKeys() {
        keys.claim(KEY, BODY).block(BLOCK);
        keys.claim(new IdempotencyKey("bob", "k1"), BODY).block(BLOCK);
        db.execute("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE caller = 'alice'");

        RequestFingerprint other = new RequestFingerprint("b".repeat(64), 10);
        assertThat(keys.claim(KEY, other).blockOptional(BLOCK)).as("the dead claim was taken over").isEmpty();
        db.execute("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE caller = 'bob'");

        assertThat(db.leases().expireIdempotencyKeys().block(BLOCK)).isOne();
        assertThat(db.queryLong("SELECT count(*) FROM idempotency_keys WHERE caller = 'alice' AND fingerprint = '"
                + other.sha256() + "'")).isOne();
        assertThat(keys.claim(new IdempotencyKey("bob", "k1"), BODY).blockOptional(BLOCK)).isEmpty();
    }
}
