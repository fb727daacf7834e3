package dev.asyncpatterns.jobs;

import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

/** A job's identity: a random UUID, written as its canonical string. */
public record JobId(UUID value) {

    static JobId random() {
        return new JobId(UUID.randomUUID());
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
