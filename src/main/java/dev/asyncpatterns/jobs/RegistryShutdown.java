package dev.asyncpatterns.jobs;

import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;

/**
 * The registry's start and graceful stop, behind its {@code SmartLifecycle}: stop refuses new
 * jobs (503, health OUT_OF_SERVICE), gives running ones the grace period, cancels the rest with
 * reason SHUTDOWN (which also ends their event streams), logs one summary with counts, then calls
 * back, without blocking the closing thread.
 */
final class RegistryShutdown {

    /** The registry's logger, as before the split: the summary line is what operators grep for. */
    private static final Logger log = LoggerFactory.getLogger(JobRegistry.class);
    /** Time the synchronous stop allows beyond the grace period for cancelling what is left. */
    private static final long STOP_MARGIN_MS = 5_000;

    private final AdmissionControl admission;
    private final JobRetention retention;
    private final JobRunner runner;
    private final Collection<Job> jobs;
    private final JobsProperties properties;
    private volatile boolean running;

    /**
     * @param jobs a live view of the registry's jobs: what is still running when the grace ends is cancelled
     */
    RegistryShutdown(AdmissionControl admission, JobRetention retention, JobRunner runner, Collection<Job> jobs,
            JobsProperties properties) {
        this.admission = admission;
        this.retention = retention;
        this.runner = runner;
        this.jobs = jobs;
        this.properties = properties;
    }

    void start() {
        retention.start();
        admission.open();
        running = true;
    }

    /** Drains as {@link #stop(Runnable)} does, awaited on the calling thread up to the grace period and a margin. */
    void stopAndWait() {
        CountDownLatch stopped = new CountDownLatch(1);
        stop(stopped::countDown);
        try {
            if (!stopped.await(properties.shutdownGraceMs() + STOP_MARGIN_MS, TimeUnit.MILLISECONDS)) {
                log.warn("Job registry did not finish stopping within its grace period");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    void stop(Runnable callback) {
        Mono<Void> drained = admission.close();
        retention.stop();
        int runningAtStop = admission.activeCount();
        drained
            .timeout(properties.shutdownGrace(), Mono.empty())
            .doFinally(signal -> {
                int cancelled = 0;
                for (Job job : jobs) {
                    if (runner.cancel(job, CancelReason.SHUTDOWN)) {
                        cancelled++;
                    }
                }
                log.info("Job registry stopped: {} running jobs at shutdown, {} finished within the {} ms grace period, {} cancelled",
                        runningAtStop, Math.max(0, runningAtStop - cancelled), properties.shutdownGraceMs(), cancelled);
                running = false;
                callback.run();
            })
            .subscribe();
    }

    boolean isRunning() {
        return running;
    }
}
