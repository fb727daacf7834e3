package dev.asyncpatterns.jobs;

/** What a running job may tell the registry about itself. */
public interface JobContext {

    /** The job's id, for logs and for naming the work it starts. */
    String jobId();

    /** Reports progress ({@code completed} of {@code total}); published as a {@code progress} event. */
    void progress(long completed, long total);
}
