import java.util.ArrayList;
import java.util.List;

/** W4: heap and threads with many concurrently running sleep jobs. */
final class FootprintWorkload {

    /** Far longer than submitting and measuring: every job is still running when measured. */
    private static final int SLEEP_MS = 600_000;

    private FootprintWorkload() {
    }

    static void run(Context c) {
        int jobs = c.sizes.w4Jobs();
        List<Double> idle = new ArrayList<>();
        List<Double> loaded = new ArrayList<>();
        List<Double> growth = new ArrayList<>();
        List<Double> perJob = new ArrayList<>();
        List<Double> threadsIdle = new ArrayList<>();
        List<Double> threadsLoaded = new ArrayList<>();
        List<Double> threadGrowth = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        List<Double> rssIdle = new ArrayList<>();
        List<Double> rssLoaded = new ArrayList<>();
        List<Double> rssPerJob = new ArrayList<>();
        List<Double> actives = new ArrayList<>();
        for (int rep = 1; rep <= c.options.heavyReps(); rep++) {
            Service service = c.service("W4-" + rep, "--asyncpatterns.jobs.shutdown-grace=1s");
            c.warmJobs(service);
            double h0 = service.heapAfterGcMib();
            double r0 = service.rssMib();
            int t0 = service.threadCount();
            long start = System.nanoTime();
            rates.add(c.submit(service, jobs, "{\"type\":\"sleep\",\"params\":{\"durationMs\":" + SLEEP_MS + "}}"));
            double h1 = service.heapAfterGcMib();
            double r1 = service.rssMib();
            int t1 = service.threadCount();
            if ((System.nanoTime() - start) / 1_000_000 >= SLEEP_MS) {
                throw new BenchFailure("W4: measuring took longer than the jobs' " + SLEEP_MS + " ms");
            }
            Service.Answer running = service.call("GET", "/api/jobs?state=RUNNING&limit=1", null);
            if (running.status() != 200 || !running.body().contains("RUNNING")) {
                throw new BenchFailure("W4: no RUNNING job listed after submitting: " + running);
            }
            long active = service.activeJobs();
            // On the shared smoke service earlier workloads may have left jobs running too: at least N.
            if (active < jobs) {
                throw new BenchFailure("W4: only " + active + " jobs active after submitting " + jobs);
            }
            actives.add((double) active);
            Log.info("W4 rep " + rep + ": heap idle " + h0 + " MiB, with " + jobs + " running jobs " + h1
                    + " MiB; RSS " + r0 + " -> " + r1 + " MiB; threads " + t0 + " -> " + t1);
            idle.add(h0);
            loaded.add(h1);
            growth.add(Report.round(h1 - h0, 1));
            perJob.add(Report.round((h1 - h0) * 1_048_576 / jobs, 0));
            rssIdle.add(r0);
            rssLoaded.add(r1);
            rssPerJob.add(Report.round((r1 - r0) * 1_048_576 / jobs, 0));
            threadsIdle.add((double) t0);
            threadsLoaded.add((double) t1);
            threadGrowth.add((double) (t1 - t0));
            c.release(service);
        }
        Report r = c.report;
        r.row("W4", "heap after full GC, idle (MiB)", idle);
        r.row("W4", "heap after full GC, " + jobs + " running sleep jobs (MiB)", loaded);
        r.row("W4", "heap growth for " + jobs + " running jobs (MiB)", growth, List.of(), "<= 100 MiB",
                Report.Check.medianAtMost(100));
        r.row("W4", "heap per running job (bytes)", perJob, List.of(), "<= 1024 B", Report.Check.medianAtMost(1024));
        r.row("W4", "RSS after full GC, idle (MiB)", rssIdle);
        r.row("W4", "RSS after full GC, " + jobs + " running sleep jobs (MiB)", rssLoaded);
        r.row("W4", "RSS per running job (bytes)", rssPerJob, List.of(), "<= 1536 B", Report.Check.medianAtMost(1536));
        r.row("W4", "threads idle", threadsIdle);
        r.row("W4", "threads with " + jobs + " running jobs", threadsLoaded);
        r.row("W4", "thread growth (no thread per job)", threadGrowth, List.of(), "<= 100", Report.Check.medianAtMost(100));
        r.row("W4", "active jobs when measured (asyncpatterns.jobs.active)", actives);
        r.row("W4", "submission rate (jobs/s, " + Context.SUBMIT_CONCURRENCY + " in flight)", rates);
    }
}
