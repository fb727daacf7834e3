package dev.asyncpatterns.jobs;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * {@code asyncpatterns.store=memory}: keys in a Caffeine cache that forgets each one
 * {@code idempotency-ttl} after its last write, independently of job retention, and holds at most
 * {@code idempotency-max-memory}: each entry weighs its canonical request (which bounds the job JSON
 * it keeps) plus its key and a fixed overhead. Past the bound the least useful keys go first; a
 * forgotten key only means a late repeat starts a new job, as it would without a key.
 */
@Component
@ConditionalOnProperty(name = "asyncpatterns.store", havingValue = "memory", matchIfMissing = true)
class MemoryIdempotencyKeys implements IdempotencyKeys {

    /** Object headers, the entry, the key record and the digest string, roughly. */
    private static final int ENTRY_OVERHEAD_BYTES = 512;

    private final Cache<IdempotencyKey, Entry> keys;

    @Autowired
    MemoryIdempotencyKeys(JobsProperties properties) {
        this(properties.idempotencyTtl(), properties.idempotencyMaxMemory().toBytes(), Ticker.systemTicker());
    }

    MemoryIdempotencyKeys(Duration ttl, long maxBytes, Ticker ticker) {
        this.keys = Caffeine.newBuilder()
            .expireAfterWrite(ttl)
            .maximumWeight(maxBytes)
            .weigher((IdempotencyKey key, Entry entry) -> entry.weight())
            .ticker(ticker)
            .build();
    }

    @Override
    public Mono<Remembered> claim(IdempotencyKey key, RequestFingerprint fingerprint) {
        Entry claimed = new Entry(new Remembered(fingerprint.sha256(), null), weight(key, fingerprint));
        Entry existing = keys.asMap().putIfAbsent(key, claimed);
        return Mono.justOrEmpty(existing).map(Entry::remembered);
    }

    @Override
    public Mono<Void> remember(IdempotencyKey key, RequestFingerprint fingerprint, JobView first) {
        keys.put(key, new Entry(new Remembered(fingerprint.sha256(), first), weight(key, fingerprint)));
        return Mono.empty();
    }

    @Override
    public Mono<Void> release(IdempotencyKey key) {
        // Only a claim still being admitted: an answered key stays remembered.
        keys.asMap().computeIfPresent(key, (k, entry) -> entry.remembered().first() == null ? null : entry);
        return Mono.empty();
    }

    private static int weight(IdempotencyKey key, RequestFingerprint fingerprint) {
        return ENTRY_OVERHEAD_BYTES + 2 * (key.caller().length() + key.value().length()) + 2 * fingerprint.size();
    }

    private record Entry(Remembered remembered, int weight) {
    }
}
