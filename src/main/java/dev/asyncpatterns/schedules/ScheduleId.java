package dev.asyncpatterns.schedules;

import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.asyncpatterns.jobs.JobId;

/** A schedule's identity: a random UUID, written as its canonical string. */
record ScheduleId(UUID value) {

    /** A random id, drawn as job ids are (no blocking SecureRandom on the event loop). */
    static ScheduleId random() {
        return new ScheduleId(JobId.random().value());
    }

    /** The id a client sent, or empty when the text is not a UUID (no such schedule can exist). */
    static Optional<ScheduleId> parse(String text) {
        return JobId.parse(text).map(id -> new ScheduleId(id.value()));
    }

    @JsonValue
    @Override
    public String toString() {
        return value.toString();
    }
}
