package dev.asyncpatterns.jobs;

/**
 * Why a {@code FAILED} job failed: {@code type} is a stable name for the kind of failure (the
 * exception's simple class name), {@code message} its human-readable text.
 */
public record JobError(String type, String message) {

    static JobError of(Throwable failure) {
        String message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        return new JobError(failure.getClass().getSimpleName(), message);
    }
}
