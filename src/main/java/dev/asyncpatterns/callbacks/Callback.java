package dev.asyncpatterns.callbacks;

import java.time.Instant;

import dev.asyncpatterns.outbound.AllowedUrl;

/**
 * One job's callback and how its delivery stands, as the job JSON shows it. A delivery is one
 * {@code webhook-id} and its schedule of tries; at most one is under way at a time, and a
 * redeliver starts the next one with a new id (a receiver that dropped the first must not take
 * the second for a duplicate).
 */
public final class Callback {

    private final String jobId;
    private final AllowedUrl url;

    private CallbackState state = CallbackState.PENDING;
    private int attempts;
    private Integer lastStatus;
    private Instant deliveredAt;
    /** Deliveries begun so far; numbers the webhook ids. */
    private int deliveries;
    private boolean underWay;

    Callback(String jobId, AllowedUrl url) {
        this.jobId = jobId;
        this.url = url;
    }

    AllowedUrl url() {
        return url;
    }

    /**
     * Starts the next delivery: PENDING, no tries yet. Returns its {@code webhook-id}, or null
     * when one is under way already (that one goes on).
     */
    synchronized String begin() {
        if (underWay) {
            return null;
        }
        underWay = true;
        deliveries++;
        state = CallbackState.PENDING;
        attempts = 0;
        lastStatus = null;
        deliveredAt = null;
        return webhookId(jobId, deliveries);
    }

    /** The {@code webhook-id} of a job's {@code delivery}th delivery (from 1), whichever store keeps it. */
    public static String webhookId(String jobId, int delivery) {
        return "msg_" + jobId + "_" + delivery;
    }

    /** One try was made; {@code status} is its answer's, null when none came. */
    synchronized void tried(Integer status) {
        attempts++;
        lastStatus = status;
    }

    synchronized void delivered(Instant at) {
        state = CallbackState.DELIVERED;
        deliveredAt = at;
        underWay = false;
    }

    synchronized void failed() {
        state = CallbackState.FAILED;
        underWay = false;
    }

    public synchronized CallbackView view() {
        return new CallbackView(url.url(), state, attempts, lastStatus, deliveredAt);
    }
}
