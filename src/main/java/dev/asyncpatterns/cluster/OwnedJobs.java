package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.asyncpatterns.jobs.IllegalJobTransitionException;
import dev.asyncpatterns.jobs.JobCaller;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobNotFoundException;
import dev.asyncpatterns.jobs.JobRegistry;
import dev.asyncpatterns.jobs.JobState;

/**
 * The jobs this instance runs, each with the attempt it owns: what its heartbeat renews, what
 * its guarded writes carry, and where a cancel from another instance stops the work.
 */
final class OwnedJobs {

    private final Map<JobId, Integer> attempts = new ConcurrentHashMap<>();
    private final Consumer<JobId> stopHere;

    /** {@code stopHere} cancels a job in this instance's registry. */
    OwnedJobs(Consumer<JobId> stopHere) {
        this.stopHere = stopHere;
    }

    /** Cancels in {@code registry}; a job already over (terminal, or forgotten) has nothing left to stop. */
    static OwnedJobs in(JobRegistry registry) {
        return new OwnedJobs(id -> {
            try {
                registry.cancel(id.toString(), JobCaller.SYSTEM);
            }
            catch (IllegalJobTransitionException | JobNotFoundException alreadyOver) {
                // Ended on its own between the decision and now: the row says so, or soon will.
            }
        });
    }

    void own(JobId id, int attempt) {
        attempts.put(id, attempt);
    }

    /** Forgets {@code id} if this instance still owns {@code attempt} of it. */
    void release(JobId id, int attempt) {
        attempts.remove(id, attempt);
    }

    void release(JobId id) {
        attempts.remove(id);
    }

    boolean owns(JobId id) {
        return attempts.containsKey(id);
    }

    /** Whether the row's job is running here, in the attempt this instance owns. */
    boolean runsHere(JobRow row, String self) {
        Integer attempt = attempts.get(row.view().id());
        return row.state() == JobState.RUNNING && self.equals(row.owner()) && attempt != null
                && attempt == row.attempt();
    }

    List<JobId> ids() {
        return List.copyOf(attempts.keySet());
    }

    /**
     * Blocks the calling thread until no job runs here or {@code wait} passed: at shutdown, after
     * every lifecycle stopped, so the last terminal writes can land.
     */
    void awaitNone(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!attempts.isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops the work of a job that is no longer this instance's, or whose cancel was asked for elsewhere. */
    void stop(JobId id) {
        stopHere.accept(id);
    }
}
