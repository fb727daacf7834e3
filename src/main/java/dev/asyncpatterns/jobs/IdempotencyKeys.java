package dev.asyncpatterns.jobs;

import reactor.core.publisher.Mono;

/**
 * Where {@code Idempotency-Key}s are remembered for {@code asyncpatterns.jobs.idempotency-ttl}:
 * this process ({@link MemoryIdempotencyKeys}) or the database every instance shares. A key is
 * claimed before its job is submitted, so of several concurrent repeats exactly one submits;
 * {@link IdempotentSubmits} decides what the others answer.
 */
public interface IdempotencyKeys {

    /**
     * Claims {@code key} for a submit of the request {@code fingerprint} describes. Empty when the
     * claim succeeded: the caller submits, then calls {@link #remember} or, if the submit failed,
     * {@link #release}. Otherwise what the key already holds.
     */
    Mono<Remembered> claim(IdempotencyKey key, RequestFingerprint fingerprint);

    /** Records the answer to the claimed key's submit, kept for the TTL from now. */
    Mono<Void> remember(IdempotencyKey key, RequestFingerprint fingerprint, JobView first);

    /** Gives up a claim whose submit failed, so a retry may submit again. */
    Mono<Void> release(IdempotencyKey key);

    /**
     * What a key holds.
     *
     * @param sha256 the fingerprint of the request that claimed it
     * @param first the job as the first answer showed it; null while that submit is being admitted
     */
    record Remembered(String sha256, JobView first) {
    }
}
