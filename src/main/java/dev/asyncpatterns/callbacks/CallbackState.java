package dev.asyncpatterns.callbacks;

/** Where a job's callback stands: being delivered (or waiting for its next try), delivered, or given up. */
public enum CallbackState {
    PENDING, DELIVERED, FAILED
}
