import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * W8 (issue 19): {@code loop.call_at} at scale on the memory store. N sleep jobs of 1 ms are
 * submitted with {@code runAt} times spread evenly over a window that opens only once all of them
 * are in, so the heap is measured with every job SCHEDULED and the starts are late only by the
 * service's own timer and admission, never by the submitter. Lateness comes from the service's
 * {@code asyncpatterns.jobs.start.lateness} histogram, as its difference over the run.
 */
final class DelayedWorkload {

    private static final String PROMETHEUS_LATENESS = "asyncpatterns_jobs_start_lateness_seconds";
    private static final String BODY = "{\"type\":\"sleep\",\"params\":{\"durationMs\":1},\"runAt\":\"" + Submitter.RUN_AT + "\"}";
    /** The warm-up's jobs are due at once: they go through the same timer, so the JIT knows the path. */
    private static final String DUE_NOW = "{\"type\":\"sleep\",\"params\":{\"durationMs\":1},\"delayMs\":0}";

    private DelayedWorkload() {
    }

    static void run(Context c) {
        int jobs = c.sizes.w8Jobs();
        int spreadMs = c.sizes.w8SpreadMs();
        List<Double> perJob = new ArrayList<>();
        List<Double> withinTarget = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> maxMs = new ArrayList<>();
        List<Double> leads = new ArrayList<>();
        for (int rep = 1; rep <= c.options.heavyReps(); rep++) {
            Service service = c.service("W8-" + rep, "--asyncpatterns.jobs.shutdown-grace=1s",
                    "--asyncpatterns.jobs.max-scheduled=" + (jobs + 1000));
            c.submit(service, c.sizes.warmupJobs(), DUE_NOW);
            service.awaitNoActiveJobs(120);
            double h0 = service.heapAfterGcMib();
            TreeMap<Double, Double> before = service.histogram(PROMETHEUS_LATENESS);
            double succeededBefore = succeeded(service);
            long leadMs = leadMillis(jobs);
            long firstDue = System.currentTimeMillis() + leadMs;
            c.submit(service, jobs, BODY, 0, "--run-at-from", Long.toString(firstDue),
                    "--run-at-spread-ms", Integer.toString(spreadMs));
            double scheduled = service.metric("asyncpatterns.jobs.scheduled");
            double h1 = service.heapAfterGcMib();
            if (System.currentTimeMillis() >= firstDue || scheduled < jobs) {
                throw new BenchFailure("W8: the first job came due before all " + jobs + " were submitted and measured ("
                        + (long) scheduled + " scheduled; lead " + leadMs + " ms): the lead is too short for this machine");
            }
            awaitAllStarted(service, firstDue + spreadMs);
            double started = succeeded(service) - succeededBefore;
            if (started != jobs) {
                throw new BenchFailure("W8: " + (long) started + " of " + jobs + " delayed jobs SUCCEEDED (each must run once)");
            }
            Lateness late = Lateness.between(before, service.histogram(PROMETHEUS_LATENESS), jobs);
            Log.info("W8 rep " + rep + ": heap " + h0 + " -> " + h1 + " MiB with " + jobs + " scheduled; " + late);
            perJob.add(Report.round((h1 - h0) * 1_048_576 / jobs, 0));
            withinTarget.add(late.shareWithin(0.1));
            p99.add(late.quantileUpperBoundMs(0.99));
            maxMs.add(Report.round(service.metric("asyncpatterns.jobs.start.lateness", "MAX") * 1000, 1));
            leads.add((double) leadMs);
            c.release(service);
        }
        Report r = c.report;
        r.row("W8", jobs + " sleep jobs with runAt spread over " + spreadMs + " ms: heap per scheduled job (bytes)", perJob,
                List.of(), "<= 1024 B", Report.Check.medianAtMost(1024));
        r.row("W8", "share of starts at most 100 ms after their runAt", withinTarget, List.of(), ">= 0.99",
                Report.Check.medianAtLeast(0.99));
        r.row("W8", "p99 lateness of the starts (ms; the upper bound of its histogram bucket)", p99, List.of(), "<= 100 ms",
                Report.Check.medianAtMost(100));
        r.row("W8", "max lateness (ms; asyncpatterns.jobs.start.lateness MAX)", maxMs);
        r.row("W8", "lead from submitting to the first due time (ms)", leads);
        DelayedOnPostgres.run(c);
    }

    /**
     * Time to submit {@code jobs} from one submitter to the memory store and measure the heap before
     * the first is due: 1.5 ms a job (W4 submits about 1,000 a second on a busy machine) plus 20 s
     * for the submitter's start and the two full GCs. Too short, and W8 says so rather than measuring.
     */
    static long leadMillis(int jobs) {
        return leadMillis(jobs, 1.5);
    }

    /** As {@link #leadMillis(int)} at {@code millisPerJob}: PostgreSQL's submits are slower. */
    static long leadMillis(int jobs, double millisPerJob) {
        return (long) (jobs * millisPerJob) + 20_000;
    }

    /** Until no job waits for its time and none runs; generous past the last due time on a busy machine. */
    private static void awaitAllStarted(Service service, long lastDue) {
        long deadline = lastDue + 120_000;
        while (service.metric("asyncpatterns.jobs.scheduled") > 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new BenchFailure("W8: jobs still waited SCHEDULED 120 s after the last one was due");
            }
            Pause.millis(500);
        }
        service.awaitNoActiveJobs(120);
    }

    private static double succeeded(Service service) {
        return service.metric("asyncpatterns.jobs.finished?tag=state:SUCCEEDED");
    }

    /** The starts of one run, as the difference of two cumulative histograms. */
    private record Lateness(TreeMap<Double, Double> buckets, double count) {

        static Lateness between(TreeMap<Double, Double> before, TreeMap<Double, Double> after, int expected) {
            TreeMap<Double, Double> delta = new TreeMap<>();
            for (Map.Entry<Double, Double> bucket : after.entrySet()) {
                delta.put(bucket.getKey(), bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0));
            }
            double count = delta.lastEntry().getValue();
            if (count != expected) {
                throw new BenchFailure("W8: the lateness timer counted " + (long) count + " starts, expected " + expected);
            }
            return new Lateness(delta, count);
        }

        double shareWithin(double seconds) {
            Double within = buckets.get(seconds);
            if (within == null) {
                throw new BenchFailure("W8: the lateness histogram has no " + seconds + " s bucket: " + buckets.keySet());
            }
            return Report.round(within / count, 4);
        }

        double quantileUpperBoundMs(double quantile) {
            for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
                if (bucket.getValue() >= quantile * count) {
                    return Report.round(bucket.getKey() * 1000, 1);
                }
            }
            return Double.POSITIVE_INFINITY;
        }

        @Override
        public String toString() {
            return "lateness: " + shareWithin(0.1) + " within 100 ms, p99 <= " + quantileUpperBoundMs(0.99) + " ms";
        }
    }
}
