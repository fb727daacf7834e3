package dev.asyncpatterns.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/jobs} with an optional {@code Idempotency-Key}: a repeat of an answered submit
 * (same caller, key and canonical body) starts nothing and replays the first answer; the same key
 * with another body is 422; a repeat while the first is still being admitted is 409. Without a key
 * a submit goes straight to the {@link JobStore}. Replays count in
 * {@code asyncpatterns.jobs.idempotent.replayed}.
 */
@Component
public class IdempotentSubmits {

    private final JobStore store;
    private final IdempotencyKeys keys;
    private final JsonMapper mapper;
    private final Counter replayed;

    IdempotentSubmits(JobStore store, IdempotencyKeys keys, JsonMapper mapper, MeterRegistry meters) {
        this.store = store;
        this.keys = keys;
        this.mapper = mapper;
        // The request's serializer, built now rather than under Jackson's lock by two first keyed submits at once.
        mapper.writerFor(JobRequest.class);
        this.replayed = Counter.builder("asyncpatterns.jobs.idempotent.replayed")
            .description("Submits answered from an Idempotency-Key instead of starting a job").register(meters);
    }

    /**
     * Submits {@code request} once per {@code header} key of the caller; {@code header} null: no key.
     * A failed submit (400, 429, 503…) releases the key, so the client may retry with it.
     */
    public Mono<Submitted> submit(JobRequest request, JobCaller caller, String header) {
        if (header == null) {
            return store.submit(request, caller).map(view -> new Submitted(view, false));
        }
        return Mono.defer(() -> {
            IdempotencyKey key = IdempotencyKey.of(caller, header);
            RequestFingerprint fingerprint = RequestFingerprint.of(request, mapper);
            return keys.claim(key, fingerprint)
                .map(remembered -> replay(header, fingerprint, remembered))
                .switchIfEmpty(Mono.defer(() -> store.submit(request, caller))
                    .flatMap(first -> keys.remember(key, fingerprint, first).thenReturn(new Submitted(first, false)))
                    .onErrorResume(refused -> keys.release(key).onErrorComplete().then(Mono.error(refused))));
        });
    }

    private Submitted replay(String header, RequestFingerprint fingerprint, IdempotencyKeys.Remembered remembered) {
        if (!remembered.sha256().equals(fingerprint.sha256())) {
            throw IdempotencyKeyConflictException.reused(header);
        }
        if (remembered.first() == null) {
            throw IdempotencyKeyConflictException.inUse(header);
        }
        replayed.increment();
        return new Submitted(remembered.first(), true);
    }

    /**
     * A submit's answer.
     *
     * @param job the job JSON: the new job, or for a replay the job as the first answer showed it
     * @param replayed whether this answer repeats an earlier one ({@code Idempotent-Replayed: true})
     */
    public record Submitted(JobView job, boolean replayed) {
    }
}
