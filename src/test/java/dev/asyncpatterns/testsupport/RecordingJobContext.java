package dev.asyncpatterns.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.asyncpatterns.jobs.JobContext;

/**
 * A {@link JobContext} that records every progress report with the thread it came from, so
 * job-type tests can see how far the work got, where it ran, and that it stopped.
 */
public final class RecordingJobContext implements JobContext {

    private final List<Report> reports = new CopyOnWriteArrayList<>();

    @Override
    public String jobId() {
        return "test-job";
    }

    @Override
    public void progress(long completed, long total) {
        reports.add(new Report(completed, total, Thread.currentThread().getName()));
    }

    public List<Report> reports() {
        return List.copyOf(reports);
    }

    public int count() {
        return reports.size();
    }

    /** The latest report, or a zero one before any. */
    public Report last() {
        List<Report> all = reports;
        return all.isEmpty() ? new Report(0, 0, "") : all.get(all.size() - 1);
    }

    /** One progress report. */
    public record Report(long completed, long total, String thread) {
    }
}
