package dev.asyncpatterns.callbacks;

import java.time.Instant;

/**
 * The {@code callback} of the job JSON.
 *
 * @param url where the job JSON is POSTed
 * @param state PENDING until a try answers 2xx (DELIVERED) or the last try failed (FAILED)
 * @param attempts tries of the current delivery so far (a redeliver starts again from 0)
 * @param lastStatus the HTTP status of the last try; null before the first answer or when a try got none
 * @param deliveredAt when a try was answered 2xx; null otherwise
 */
public record CallbackView(String url, CallbackState state, int attempts, Integer lastStatus, Instant deliveredAt) {

    /** A callback to {@code url} whose delivery has not made a try yet: how a job shows it until it ended. */
    public static CallbackView pending(String url) {
        return new CallbackView(url, CallbackState.PENDING, 0, null, null);
    }
}
