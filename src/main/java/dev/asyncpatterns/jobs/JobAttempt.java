package dev.asyncpatterns.jobs;

import java.time.Instant;

/**
 * One attempt of a job in its {@code attempts[]} (API.md section 11): its number (from 1), how it
 * ended (RUNNING while it runs), its error, and its times.
 */
public record JobAttempt(int attempt, JobState state, JobError error, Instant startedAt, Instant finishedAt) {
}
