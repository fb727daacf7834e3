package dev.asyncpatterns.jobs;

/** Who cancelled a {@code CANCELLED} job: a user's cancel call, or the registry shutting down. */
public enum CancelReason {
    USER, SHUTDOWN
}
