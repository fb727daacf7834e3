import java.nio.file.Path;
import java.util.List;

/**
 * W8's second half (issue 19): due jobs on two instances sharing one PostgreSQL. Jobs whose
 * {@code runAt} times come due at a steady rate (by default 1,000/s for 20 s) are submitted, half
 * to each instance, before the first is due; each must start once, promptly, whichever instance
 * claims it. Lateness is read from the rows themselves: {@code started_at - due_at}, exact, over
 * both instances.
 */
final class DelayedOnPostgres {

    /** Marks W8's rows, so the counts and lateness are of these jobs only. */
    private static final String BODY = "{\"type\":\"sleep\",\"name\":\"w8\",\"params\":{\"durationMs\":1},\"runAt\":\""
            + Submitter.RUN_AT + "\"}";
    private static final String MINE = "FROM jobs WHERE name = 'w8'";

    private DelayedOnPostgres() {
    }

    static void run(Context c) {
        int jobs = c.sizes.w8PostgresJobs();
        int spreadMs = jobs * 1000 / c.sizes.w8PostgresRate();
        Postgres pg = Postgres.start(c.options);
        try {
            Service a = Service.start(c, "W8-pg-a", ClusterWorkload.onPostgres(pg, "bench-a"));
            Service b = Service.start(c, "W8-pg-b", ClusterWorkload.onPostgres(pg, "bench-b"));
            c.warmJobs(a);
            c.warmJobs(b);
            // Each instance's submitter posts half; a submit to PostgreSQL stores a row first (W7: a
            // few hundred a second per instance on a quiet machine, ~110 on a busy one).
            long leadMs = DelayedWorkload.leadMillis(jobs / 2, 6);
            long firstDue = System.currentTimeMillis() + leadMs;
            submitToBoth(c, a, b, jobs, firstDue, spreadMs);
            if (System.currentTimeMillis() >= firstDue) {
                throw new BenchFailure("W8 on PostgreSQL: the first job came due before all " + jobs
                        + " were submitted (lead " + leadMs + " ms): the lead is too short for this machine");
            }
            awaitEnded(pg, firstDue + spreadMs);
            long rows = pg.count("SELECT count(*) " + MINE);
            long once = pg.count("SELECT count(*) " + MINE + " AND state = 'SUCCEEDED' AND attempt = 1");
            if (rows != jobs) {
                throw new BenchFailure("W8 on PostgreSQL: " + rows + " rows for " + jobs + " jobs submitted");
            }
            double p99 = Double.parseDouble(pg.sql("asyncpatterns", "SELECT round((percentile_cont(0.99) WITHIN GROUP "
                    + "(ORDER BY extract(epoch FROM first_started_at - due_at)) * 1000)::numeric, 1) " + MINE));
            double max = Double.parseDouble(pg.sql("asyncpatterns",
                    "SELECT round((max(extract(epoch FROM first_started_at - due_at)) * 1000)::numeric, 1) " + MINE));
            Log.info("W8 on PostgreSQL: " + once + " of " + jobs + " SUCCEEDED on the first attempt; lateness p99 " + p99
                    + " ms, max " + max + " ms");
            Report r = c.report;
            String what = jobs + " jobs due at " + c.sizes.w8PostgresRate() + "/s on two store=postgres instances";
            r.row("W8", what + ": SUCCEEDED exactly once (first attempt)", List.of((double) once), List.of(), "= " + jobs,
                    Report.Check.medianIs(jobs));
            r.row("W8", what + ": p99 lateness, first start - due (ms)", List.of(p99), List.of(), "<= 250 ms",
                    Report.Check.medianAtMost(250));
            r.row("W8", what + ": max lateness (ms)", List.of(max));
            a.stop();
            b.stop();
        } finally {
            pg.stop();
        }
    }

    private static void submitToBoth(Context c, Service a, Service b, int jobs, long firstDue, int spreadMs) {
        // Interleaved due times: a's jobs are the even slots of the spread, b's the odd ones.
        int half = jobs / 2;
        long slot = spreadMs / (long) jobs;
        Path outA = c.file("W8-pg-submit-a.out");
        Path outB = c.file("W8-pg-submit-b.out");
        Process pa = c.startSubmitting(a.port, half, BODY, 0, outA, "--run-at-from", Long.toString(firstDue),
                "--run-at-spread-ms", Integer.toString(spreadMs));
        Process pb = c.startSubmitting(b.port, half, BODY, 0, outB, "--run-at-from", Long.toString(firstDue + slot),
                "--run-at-spread-ms", Integer.toString(spreadMs));
        c.finishSubmitting(pa, half, outA);
        c.finishSubmitting(pb, half, outB);
    }

    private static void awaitEnded(Postgres pg, long lastDue) {
        long deadline = lastDue + 120_000;
        long waiting;
        while ((waiting = pg.count("SELECT count(*) " + MINE + " AND state IN ('SCHEDULED', 'PENDING', 'RUNNING')")) > 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new BenchFailure("W8 on PostgreSQL: " + waiting + " jobs had not ended 120 s after the last was due");
            }
            Pause.millis(500);
        }
    }
}
