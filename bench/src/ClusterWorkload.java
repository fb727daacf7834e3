import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * W7: two instances on one PostgreSQL, jobs submitted to both, until every job has ended; then
 * cancels through the other instance; then the same two instances on the memory store, the
 * no-database ceiling that the PostgreSQL figure is read against.
 */
final class ClusterWorkload {

    private static final String LONG_JOB_BODY = "{\"type\":\"sleep\",\"params\":{\"durationMs\":600000}}";

    private ClusterWorkload() {
    }

    static void run(Context c) {
        int jobs = c.sizes.w7Jobs();
        Postgres pg = Postgres.start(c.options);
        double rate;
        try {
            double tps = pgbenchInsert(c, pg);
            Service a = Service.start(c, "W7-a", onPostgres(pg, "bench-a"));
            Service b = Service.start(c, "W7-b", onPostgres(pg, "bench-b"));
            long t0 = System.nanoTime();
            submitToBoth(c, a, b, "W7-submit");
            // Every job must end before the rate is taken: starts that only queued do not count.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            long stuck;
            while ((stuck = pg.count("SELECT count(*) FROM jobs WHERE state IN ('PENDING', 'RUNNING')")) > 0) {
                if (System.nanoTime() > deadline) {
                    throw new BenchFailure("W7: " + stuck + " jobs still PENDING or RUNNING after 300 s");
                }
                Pause.millis(200);
            }
            long elapsed = (System.nanoTime() - t0) / 1_000_000;
            rate = Report.round(jobs * 1000.0 / elapsed, 1);
            long total = pg.count("SELECT count(*) FROM jobs");
            long succeeded = pg.count("SELECT count(*) FROM jobs WHERE state = 'SUCCEEDED'");
            long once = pg.count("SELECT count(*) FROM jobs WHERE state = 'SUCCEEDED' AND attempt = 1");
            Log.info("W7: " + jobs + " jobs on two instances ended in " + elapsed + " ms (" + rate + "/s); rows "
                    + total + ", SUCCEEDED " + succeeded + ", on the first attempt " + once);
            if (total != jobs) {
                throw new BenchFailure("W7: " + total + " job rows for " + jobs + " jobs submitted");
            }
            Report r = c.report;
            r.row("W7", "PostgreSQL: pgbench one-row INSERT, 16 clients (tps)", List.of(tps));
            r.row("W7", "two instances, store=postgres: " + jobs + " 1 ms sleep jobs submitted to both, all ended (jobs/s)",
                    List.of(rate), List.of(), ">= 1000", Report.Check.medianAtLeast(1000));
            r.row("W7", "jobs SUCCEEDED exactly once (first attempt, of " + jobs + ")", List.of((double) once),
                    List.of(), "= " + jobs, Report.Check.medianIs(jobs));
            r.row("W7", "jobs/s / pgbench INSERT tps", List.of(Report.round(rate / tps, 3)));
            cancels(c, a, b);
            a.stop();
            b.stop();
        } finally {
            pg.stop();
        }
        ceiling(c, rate);
    }

    /** The database's own speed for the simplest durable write, with as many clients as submitters. */
    private static double pgbenchInsert(Context c, Postgres pg) {
        pg.sql("pgbench", "CREATE TABLE pgbench_rows (id bigserial PRIMARY KEY, v integer NOT NULL)");
        Path script = c.file("pgbench-insert.sql");
        RunFiles.write(script, "INSERT INTO pgbench_rows (v) VALUES (1);");
        String out = pg.pgbench("-n", "-c", "16", "-j", "2", "-T", Integer.toString(c.sizes.w7PgbenchSeconds()),
                "-f", script.toString(), "pgbench");
        RunFiles.write(c.file("W7-pgbench.out"), out);
        String tps = out.lines().filter(l -> l.startsWith("tps = ")).findFirst()
                .map(l -> l.substring("tps = ".length()).split(" ")[0])
                .orElseThrow(() -> new BenchFailure("pgbench printed no tps: " + out));
        Log.info("W7: pgbench one-row INSERT, 16 clients: " + tps + " tps");
        return Double.parseDouble(tps);
    }

    /**
     * A long job running on a, cancelled through b. b answers once the owner has stopped the work
     * and the row says CANCELLED (after 5 s it would answer the row as it is, which this rejects),
     * so the time of that call is the cancel latency the issue bounds.
     */
    private static void cancels(Context c, Service a, Service b) {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < c.sizes.w7Cancels(); i++) {
            Service.Answer submitted = a.call("POST", "/api/jobs", LONG_JOB_BODY);
            if (submitted.status() != 202) {
                throw new BenchFailure("W7: submitting a job to cancel answered " + submitted);
            }
            String id = submitted.json().path("id").asString();
            long start = System.nanoTime();
            Service.Answer cancelled = b.call("POST", "/api/jobs/" + id + "/cancel", null);
            double ms = (System.nanoTime() - start) / 1e6;
            if (cancelled.status() != 202) {
                throw new BenchFailure("W7: cancel through instance b answered " + cancelled);
            }
            if (!"CANCELLED".equals(cancelled.json().path("state").asString())) {
                throw new BenchFailure("W7: instance b answered the cancel before the owner confirmed it: " + cancelled.body());
            }
            times.add(Report.round(ms, 1));
        }
        Log.info("W7: cancel through the other instance took " + String.join(" ", times.stream().map(String::valueOf).toList()) + " ms");
        c.report.row("W7", "cancel through the other instance until the owner stopped the job (ms, each of "
                + c.sizes.w7Cancels() + ")", times, List.of(), "every one <= 1000 ms", Report.Check.maxAtMost(1000));
    }

    /**
     * The same two instances, jobs and submitters on the in-memory store: what two service JVMs
     * and their submitters get out of these cores. PostgreSQL cannot start jobs faster than this;
     * its ratio to it is the figure that travels.
     */
    private static void ceiling(Context c, double postgresRate) {
        int jobs = c.sizes.w7Jobs();
        Service a = Service.start(c, "W7-memory-a");
        Service b = Service.start(c, "W7-memory-b");
        long t0 = System.nanoTime();
        submitToBoth(c, a, b, "W7-memory-submit");
        a.awaitNoActiveJobs(300);
        b.awaitNoActiveJobs(300);
        long elapsed = (System.nanoTime() - t0) / 1_000_000;
        double rate = Report.round(jobs * 1000.0 / elapsed, 1);
        Log.info("W7 ceiling: " + jobs + " jobs on two store=memory instances ended in " + elapsed + " ms (" + rate + "/s)");
        c.report.row("W7", "ceiling: the same on two store=memory instances, no database (jobs/s)", List.of(rate));
        c.report.row("W7", "store=postgres jobs/s / store=memory jobs/s", List.of(Report.round(postgresRate / rate, 2)));
        a.stop();
        b.stop();
    }

    /** W7's jobs, half to each instance at once, each half from its own submitter JVM. */
    private static void submitToBoth(Context c, Service a, Service b, String name) {
        int half = c.sizes.w7Jobs() / 2;
        int rest = c.sizes.w7Jobs() - half;
        Path outA = c.file(name + "-a.out");
        Path outB = c.file(name + "-b.out");
        Process pa = c.startSubmitting(a.port, half, Context.SHORT_JOB_BODY, 0, outA);
        Process pb = c.startSubmitting(b.port, rest, Context.SHORT_JOB_BODY, 0, outB);
        try {
            c.finishSubmitting(pa, half, outA);
        } catch (BenchFailure e) {
            throw new BenchFailure("W7: submitting to the instance on port " + a.port + " failed: " + e.getMessage());
        }
        try {
            c.finishSubmitting(pb, rest, outB);
        } catch (BenchFailure e) {
            throw new BenchFailure("W7: submitting to the instance on port " + b.port + " failed: " + e.getMessage());
        }
    }

    /** The settings of one instance on the bench's PostgreSQL (W7, W8). */
    static String[] onPostgres(Postgres pg, String instanceId) {
        return new String[] {"--asyncpatterns.store=postgres",
                "--spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:" + pg.port + "/asyncpatterns",
                "--spring.r2dbc.username=bench", "--spring.r2dbc.password=",
                "--asyncpatterns.jobs.retention.max-count=1000000", "--asyncpatterns.jobs.shutdown-grace=1s",
                "--asyncpatterns.jobs.max-scheduled=1000000", "--asyncpatterns.instance-id=" + instanceId};
    }
}
