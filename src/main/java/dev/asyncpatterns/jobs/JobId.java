package dev.asyncpatterns.jobs;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.annotation.JsonValue;

/** A job's identity: a random UUID, written as its canonical string. */
public record JobId(UUID value) {

    /**
     * A random version-4 UUID. Not {@code UUID.randomUUID()}: its SecureRandom reads
     * {@code /dev/urandom}, a blocking call on the event loop. Ids identify jobs, they do not
     * authorize access, so a non-cryptographic source is enough.
     */
    public static JobId random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new JobId(new UUID(high, low));
    }

    /** The id a client sent, or empty when the text is not a UUID (such a job cannot exist). */
    public static Optional<JobId> parse(String text) {
        try {
            return Optional.of(new JobId(UUID.fromString(text)));
        }
        catch (IllegalArgumentException notAUuid) {
            return Optional.empty();
        }
    }

    @JsonValue
    @Override
    public String toString() {
        return value.toString();
    }
}
