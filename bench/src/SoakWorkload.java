import java.util.List;

/** W6: a long steady stream of short jobs; the heap must come back to where it started. */
final class SoakWorkload {

    private static final int SLEEP_MS = 10;

    private SoakWorkload() {
    }

    static void run(Context c) {
        int jobs = c.sizes.w6Jobs();
        int rate = c.sizes.w6Rate();
        Service service = c.service("W6", "--asyncpatterns.jobs.shutdown-grace-ms=1000");
        // Fill retention first, so "start" already holds what retention keeps at steady state.
        c.submit(service, c.sizes.w6WarmupJobs(), Context.SHORT_JOB_BODY);
        service.awaitNoActiveJobs(300);
        double h0 = service.heapAfterGcMib();
        Log.info("W6: heap at start " + h0 + " MiB; soaking " + jobs + " jobs at " + rate + "/s");
        long start = System.nanoTime();
        double achieved = c.submit(service, jobs, "{\"type\":\"sleep\",\"params\":{\"durationMs\":" + SLEEP_MS + "}}", rate);
        service.awaitNoActiveJobs(300);
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        double h1 = service.heapAfterGcMib();
        Log.info("W6: heap at end " + h1 + " MiB after " + elapsed + " ms");
        Report r = c.report;
        r.row("W6", "heap after full GC before the soak (MiB)", List.of(h0));
        r.row("W6", "heap after full GC after " + jobs + " jobs (MiB)", List.of(h1));
        r.row("W6", "heap growth over the soak (MiB)", List.of(Report.round(h1 - h0, 1)), List.of(), "<= 20 MiB",
                Report.Check.medianAtMost(20));
        r.row("W6", "achieved submission rate (jobs/s; asked " + rate + ")", List.of(achieved));
        c.release(service);
    }
}
