import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * W9 (issue 20): completion callbacks under load on the memory store, to the receiver the bench
 * upstream serves ({@link CallbackReceiver}). First N jobs with a callback, all due at one instant,
 * so their N deliveries are due at once and the rate is the service's delivering, not the
 * submitter's; each must arrive exactly once. Then the job-start p99 of {@code POST /api/jobs} with
 * a callback on every job against the same POST without, alternating, at a steady rate.
 */
final class CallbacksWorkload {

    /** What a callback of W9's jobs POSTs: a finished sleep job's JSON, as long as the service's. */
    private static final String A_DELIVERED_BODY = "{\"id\":\"3f2c1a9e-8d7b-4c6a-9e5f-1b2c3d4e5f60\",\"type\":\"sleep\","
            + "\"name\":null,\"state\":\"SUCCEEDED\",\"params\":{\"durationMs\":1,\"steps\":1},\"timeoutMs\":null,"
            + "\"progress\":{\"completed\":1,\"total\":1},\"result\":\"slept 1 ms\",\"error\":null,\"cancelReason\":null,"
            + "\"createdAt\":\"2026-12-05T00:00:00.000Z\",\"startedAt\":\"2026-12-05T00:00:00.001Z\","
            + "\"finishedAt\":\"2026-12-05T00:00:00.003Z\",\"createdBy\":null,\"callback\":{\"url\":"
            + "\"http://127.0.0.1:40000/callback\",\"state\":\"PENDING\",\"attempts\":0}}";

    private CallbacksWorkload() {
    }

    static void run(Context c) {
        int jobs = c.sizes.w9Jobs();
        String url = "http://127.0.0.1:" + c.upstreamPort + CallbackReceiver.PATH;
        String withCallback = jobWithCallback(url, "");
        Service service = c.service("W9", "--asyncpatterns.jobs.shutdown-grace=1s",
                "--asyncpatterns.callbacks.max-pending=" + Math.max(10_000, jobs * 2));
        try {
            c.warmJobs(service);
            deliveries(c, service, jobs, url);
            startsWithAndWithout(c, service, withCallback);
        } finally {
            c.release(service);
        }
    }

    private static void deliveries(Context c, Service service, int jobs, String url) {
        receiver(c, "POST", "/reset");
        double deliveredBefore = service.metric("asyncpatterns.callbacks.delivered");
        long leadMs = DelayedWorkload.leadMillis(jobs);
        long due = System.currentTimeMillis() + leadMs;
        String body = jobWithCallback(url, ",\"runAt\":\"" + Submitter.RUN_AT + "\"");
        c.submit(service, jobs, body, 0, "--run-at-from", Long.toString(due), "--run-at-spread-ms", "0");
        if (System.currentTimeMillis() >= due) {
            throw new BenchFailure("W9: the jobs came due before all " + jobs + " were submitted (lead " + leadMs + " ms)");
        }
        long deadline = due + 300_000;
        Stats stats;
        while ((stats = Stats.of(receiver(c, "GET", "/stats"))).received() < jobs) {
            if (System.currentTimeMillis() > deadline) {
                throw new BenchFailure("W9: " + stats.received() + " of " + jobs + " callbacks arrived within 300 s of their jobs' end");
            }
            Pause.millis(200);
        }
        Pause.millis(1_000); // a late duplicate would show up now
        stats = Stats.of(receiver(c, "GET", "/stats"));
        double delivered = service.metric("asyncpatterns.callbacks.delivered") - deliveredBefore;
        double seconds = Math.max(1, stats.lastMillis() - due) / 1000.0;
        double rate = Report.round(jobs / seconds, 1);
        Log.info("W9: " + stats + " for " + jobs + " jobs ending at once; " + rate + " deliveries/s; service counted "
                + (long) delivered + " delivered");
        Report r = c.report;
        r.row("W9", jobs + " jobs with a callback ending at once: delivered per second (due time to last arrival)",
                List.of(rate), List.of(), ">= 1000", Report.Check.medianAtLeast(1000));
        r.row("W9", "callbacks arrived, distinct webhook-ids (of " + jobs + ")", List.of((double) stats.distinct()),
                List.of(), "= " + jobs, Report.Check.medianIs(jobs));
        r.row("W9", "callbacks that arrived more than once", List.of((double) stats.repeated()), List.of(), "0",
                Report.Check.maxIs(0));
    }

    /**
     * Job starts at a steady rate the service keeps up with (a saturated machine would only show
     * that a callback costs CPU), with a callback on every job and without, alternating: the p99 of
     * the submitter's POSTs is the job-start latency, and its ratio is what deliveries cost starts.
     */
    private static void startsWithAndWithout(Context c, Service service, String withCallback) {
        int rate = c.sizes.w9StartRate();
        int jobs = rate * c.sizes.w3Seconds();
        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        List<Double> loaded = new ArrayList<>();
        List<Double> ownRatio = new ArrayList<>();
        c.submit(service, jobs, withCallback, rate);
        for (int rep = 1; rep <= c.options.heavyReps(); rep++) {
            double plain = p99(c, service, jobs, rate, Context.SHORT_JOB_BODY);
            double called = p99(c, service, jobs, rate, withCallback);
            double control = p99WithReceiverLoaded(c, service, jobs, rate);
            Log.info("W9 rep " + rep + ": POST p99 at " + rate + "/s without a callback " + plain + " ms, with " + called
                    + " ms, without but the receiver loaded as much by another client " + control + " ms");
            without.add(plain);
            with.add(called);
            ratio.add(Report.round(called / plain, 3));
            loaded.add(control);
            ownRatio.add(Report.round(called / control, 3));
        }
        Report r = c.report;
        String how = " (ms; " + jobs + " POSTs at " + rate + "/s)";
        r.row("W9", "POST /api/jobs p99 without a callback" + how, without);
        r.row("W9", "POST /api/jobs p99 with a callback on every job" + how, with);
        r.row("W9", "job-start p99 with callbacks / without", ratio, List.of(), "<= 1.10", Report.Check.medianAtMost(1.10));
        r.row("W9", "control: POST p99 without a callback while another client POSTs as much to the receiver" + how, loaded);
        r.row("W9", "control: job-start p99 with callbacks / without but the receiver as loaded (the service's own share)",
                ownRatio);
    }

    /**
     * The control: jobs without a callback while a second submitter POSTs the same rate of bodies to
     * the receiver. On a 2-core machine the receiver (another JVM) takes CPU from everything; this
     * arm pays that too, so with-callbacks over it is what the service's own deliveries cost starts.
     */
    private static double p99WithReceiverLoaded(Context c, Service service, int jobs, int rate) {
        Path out = c.file("W9-receiver-load.out");
        Process load = c.startSubmitting(c.upstreamPort, jobs, A_DELIVERED_BODY, rate, out, "--path",
                CallbackReceiver.PATH + "/load", "--warm-path", "/delay/0", "--expect", "204");
        double p99 = p99(c, service, jobs, rate, Context.SHORT_JOB_BODY);
        c.finishSubmitting(load, jobs, out);
        return p99;
    }

    private static double p99(Context c, Service service, int jobs, int rate, String body) {
        c.submit(service, jobs, body, rate);
        service.awaitNoActiveJobs(120);
        return c.lastSubmitResult(service, "p99_ms");
    }

    /** A 1 ms sleep job whose callback goes to {@code url}; {@code more} adds fields. */
    private static String jobWithCallback(String url, String more) {
        return "{\"type\":\"sleep\",\"params\":{\"durationMs\":1},\"callback\":{\"url\":\"" + url + "\"}" + more + "}";
    }

    private static Service.Answer receiver(Context c, String method, String path) {
        Service.Answer answer = Service.send(c.upstreamPort, method, CallbackReceiver.PATH + path, null,
                Duration.ofSeconds(30));
        if (answer.status() / 100 != 2) {
            throw new BenchFailure("the callback receiver answered " + method + " " + path + " with " + answer);
        }
        return answer;
    }

    /** The receiver's counts. */
    private record Stats(long received, long distinct, long repeated, long firstMillis, long lastMillis) {
        static Stats of(Service.Answer answer) {
            var json = answer.json();
            return new Stats(json.path("received").asLong(), json.path("distinct").asLong(), json.path("repeated").asLong(),
                    json.path("firstMillis").asLong(), json.path("lastMillis").asLong());
        }

        @Override
        public String toString() {
            return received + " callbacks arrived, " + distinct + " distinct, " + repeated + " repeated";
        }
    }
}
