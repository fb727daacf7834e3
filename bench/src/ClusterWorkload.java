import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * W7: two instances on one PostgreSQL, jobs submitted to both, until every job has ended; then
 * cancels through the other instance; then the same two instances on the memory store, the
 * no-database ceiling that the PostgreSQL figure is read against.
 */
final class ClusterWorkload {

    /** Connections of each wrk, as W3's: enough to keep a service's cores busy. */
    private static final int WRK_CONNECTIONS = 32;
    private static final String LONG_JOB_BODY = "{\"type\":\"sleep\",\"params\":{\"durationMs\":600000}}";

    private ClusterWorkload() {
    }

    static void run(Context c) {
        int jobs = c.sizes.w7Jobs();
        Tools.ensureWrk(c.options);
        Postgres pg = Postgres.start(c.options);
        double rate;
        try {
            double tps = pgbenchInsert(c, pg);
            Service a = Service.start(c, "W7-a", onPostgres(pg, "bench-a"));
            Service b = Service.start(c, "W7-b", onPostgres(pg, "bench-b"));
            // The same submissions unmeasured first: the rate is the services' steady state (W3
            // warms its endpoints too), not two cold JVMs compiling; their jobs count for exactly once.
            long warmedUp = 0;
            for (int round = 1; round <= c.sizes.w7WarmupRounds(); round++) {
                warmedUp += submitToBoth(c, a, b, "W7-warm-up-" + round).accepted();
                awaitAllEnded(pg);
            }
            Cpu cpu = new Cpu(pg.serverPid(), a, b);
            long t0 = System.nanoTime();
            Submitted submitted = submitToBoth(c, a, b, "W7-submit");
            // Every job must end before the rate is taken: starts that only queued do not count.
            awaitAllEnded(pg);
            long elapsed = (System.nanoTime() - t0) / 1_000_000;
            cpu.end(submitted.cpuTicks());
            rate = Report.round(submitted.accepted() * 1000.0 / elapsed, 1);
            long total = pg.count("SELECT count(*) FROM jobs");
            long succeeded = pg.count("SELECT count(*) FROM jobs WHERE state = 'SUCCEEDED'");
            long once = pg.count("SELECT count(*) FROM jobs WHERE state = 'SUCCEEDED' AND attempt = 1");
            Log.info("W7: " + submitted.accepted() + " jobs on two instances ended in " + elapsed + " ms (" + rate
                    + "/s); rows " + total + ", SUCCEEDED " + succeeded + ", on the first attempt " + once + "; CPU " + cpu);
            if (once != total) {
                // What the others are, and why: the rate is no use if starts were lost or repeated.
                Log.info("W7: jobs by state and attempt, with an error when they have one: " + pg.sql("asyncpatterns",
                        "SELECT string_agg(state || ' attempt ' || attempt || ' ' || e || ' x' || n, '; ') FROM"
                        + " (SELECT state, attempt, coalesce(left(error::text, 200), '-') AS e, count(*) AS n FROM jobs"
                        + " WHERE NOT (state = 'SUCCEEDED' AND attempt = 1) GROUP BY state, attempt, e) t"));
            }
            long accepted = warmedUp + submitted.accepted();
            if (total != accepted) {
                throw new BenchFailure("W7: " + total + " job rows for " + accepted + " jobs accepted");
            }
            Report r = c.report;
            r.row("W7", "PostgreSQL: pgbench one-row INSERT, 16 clients (tps)", List.of(tps));
            r.row("W7", "two instances, store=postgres: " + jobs + " 1 ms sleep jobs submitted to both by wrk, all ended (jobs/s)",
                    List.of(rate), List.of(), ">= 1000", Report.Check.medianAtLeast(1000));
            r.row("W7", "submits not answered 202 (both wrk)", List.of((double) submitted.rejected()), List.of(), "= 0",
                    Report.Check.medianIs(0));
            r.row("W7", "jobs SUCCEEDED exactly once (first attempt, of " + accepted + " with the warm-up's)",
                    List.of((double) once), List.of(), "= " + accepted, Report.Check.medianIs(accepted));
            r.row("W7", "jobs/s / pgbench INSERT tps", List.of(Report.round(rate / tps, 3)));
            r.row("W7", "CPU during the run, % of all cores: PostgreSQL (server and backends)", List.of(cpu.postgres()));
            cpu.report(c, "");
            cancels(c, a, b);
            a.stop();
            b.stop();
        } finally {
            pg.stop();
        }
        ceiling(c, rate);
    }

    /** Waits until no job is PENDING or RUNNING, at most 300 s. */
    private static void awaitAllEnded(Postgres pg) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        long stuck;
        while ((stuck = pg.count("SELECT count(*) FROM jobs WHERE state IN ('PENDING', 'RUNNING')")) > 0) {
            if (System.nanoTime() > deadline) {
                throw new BenchFailure("W7: " + stuck + " jobs still PENDING or RUNNING after 300 s");
            }
            Pause.millis(200);
        }
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
     * The same two instances, jobs and wrk on the in-memory store: what two service JVMs and their
     * load generators get out of these cores. PostgreSQL cannot start jobs faster than this; its
     * ratio to it is the figure that travels.
     */
    private static void ceiling(Context c, double postgresRate) {
        int jobs = c.sizes.w7Jobs();
        Service a = Service.start(c, "W7-memory-a");
        Service b = Service.start(c, "W7-memory-b");
        for (int round = 1; round <= c.sizes.w7WarmupRounds(); round++) {
            submitToBoth(c, a, b, "W7-memory-warm-up-" + round);
            a.awaitNoActiveJobs(300);
            b.awaitNoActiveJobs(300);
        }
        Cpu cpu = new Cpu(0, a, b);
        long t0 = System.nanoTime();
        Submitted submitted = submitToBoth(c, a, b, "W7-memory-submit");
        a.awaitNoActiveJobs(300);
        b.awaitNoActiveJobs(300);
        long elapsed = (System.nanoTime() - t0) / 1_000_000;
        cpu.end(submitted.cpuTicks());
        double rate = Report.round(submitted.accepted() * 1000.0 / elapsed, 1);
        Log.info("W7 ceiling: " + submitted.accepted() + " jobs on two store=memory instances ended in " + elapsed
                + " ms (" + rate + "/s); CPU " + cpu);
        c.report.row("W7", "ceiling: the same on two store=memory instances, no database (jobs/s)", List.of(rate));
        c.report.row("W7", "ceiling: submits not answered 202 (both wrk)", List.of((double) submitted.rejected()),
                List.of(), "= 0", Report.Check.medianIs(0));
        c.report.row("W7", "store=postgres jobs/s / store=memory jobs/s", List.of(Report.round(postgresRate / rate, 2)));
        cpu.report(c, "ceiling: ");
        a.stop();
        b.stop();
    }

    /** What both wrk processes got: 202s, other answers, and their own CPU time (clock ticks). */
    private record Submitted(long accepted, long rejected, long cpuTicks) {
    }

    /**
     * W7's jobs, half to each instance at once, each half from its own wrk ({@code -t1 -c32},
     * bench/wrk/submit.lua), which sends exactly its half and stops when all are answered.
     */
    private static Submitted submitToBoth(Context c, Service a, Service b, String name) {
        int half = c.sizes.w7Jobs() / 2;
        int rest = c.sizes.w7Jobs() - half;
        Path outA = c.file(name + "-a.out");
        Path outB = c.file(name + "-b.out");
        Process pa = startWrk(c, a, half, outA);
        Process pb = startWrk(c, b, rest, outB);
        WrkResult ra = finishWrk(pa, a, half, outA);
        WrkResult rb = finishWrk(pb, b, rest, outB);
        return new Submitted((long) (ra.get("accepted") + rb.get("accepted")),
                (long) (ra.get("rejected") + rb.get("rejected")), (long) (ra.get("cpu_ticks") + rb.get("cpu_ticks")));
    }

    private static Process startWrk(Context c, Service service, int n, Path out) {
        List<String> line = List.of("wrk", "-t1", "-c" + WRK_CONNECTIONS, "-d" + wrkSeconds(n) + "s", "--timeout", "60s",
                "-s", c.options.root().resolve("bench/wrk/submit.lua").toString(),
                "http://127.0.0.1:" + service.port + "/api/jobs");
        return Children.start(line, out, Map.of("WRK_JOBS", Integer.toString(n), "WRK_BODY", Context.SHORT_JOB_BODY));
    }

    /** Waits for one wrk; it must have sent exactly n POSTs, every one answered, without socket errors. */
    private static WrkResult finishWrk(Process wrk, Service service, int n, Path out) {
        String what = "instance on port " + service.port;
        try {
            boolean ended = wrk.waitFor(wrkSeconds(n) + 60L, TimeUnit.SECONDS);
            Children.stop(wrk, 5);
            String text = Files.readString(out);
            if (!ended) {
                throw new BenchFailure("W7: wrk on the " + what + " did not end: " + Calls.abbreviate(text));
            }
            WrkResult result = WrkResult.parse(text, "WRK_SUBMIT", what);
            if (result.get("sent") != n || result.get("accepted") + result.get("rejected") != n || !result.clean()) {
                throw new BenchFailure("W7: wrk on the " + what + " was to submit " + n + " jobs: " + result.line());
            }
            Log.info("W7: wrk on the " + what + ": " + result.line());
            return result;
        } catch (IOException e) {
            throw new BenchFailure("cannot read " + out + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }

    /** wrk's -d: far longer than n submits take; the script ends it once they are answered. */
    private static int wrkSeconds(int n) {
        return 300 + n / 100;
    }

    /**
     * Where the machine's CPU went during a run: PostgreSQL (when {@code postmaster} is not 0), the
     * two service JVMs and the two wrk, each as a share of every core's time from start to end.
     */
    private static final class Cpu {
        private final long postmaster;
        private final Service a;
        private final Service b;
        private final long machine0;
        private final long postgres0;
        private final long services0;
        private double postgres;
        private double services;
        private double wrk;

        Cpu(long postmaster, Service a, Service b) {
            this.postmaster = postmaster;
            this.a = a;
            this.b = b;
            this.machine0 = ProcessCpu.machine();
            this.postgres0 = postmaster == 0 ? 0 : ProcessCpu.withChildren(postmaster);
            this.services0 = ProcessCpu.own(a.process.pid()) + ProcessCpu.own(b.process.pid());
        }

        /** The shares, with the wrk processes' own ticks (they read them as they end). */
        void end(long wrkTicks) {
            double machine = ProcessCpu.machine() - machine0;
            postgres = share(postmaster == 0 ? 0 : ProcessCpu.withChildren(postmaster) - postgres0, machine);
            services = share(ProcessCpu.own(a.process.pid()) + ProcessCpu.own(b.process.pid()) - services0, machine);
            wrk = share(wrkTicks, machine);
        }

        double postgres() {
            return postgres;
        }

        void report(Context c, String prefix) {
            c.report.row("W7", prefix + "CPU during the run, % of all cores: the two service JVMs", List.of(services));
            c.report.row("W7", prefix + "CPU during the run, % of all cores: the two wrk", List.of(wrk));
        }

        private static double share(long ticks, double machine) {
            return Report.round(100.0 * ticks / machine, 1);
        }

        @Override
        public String toString() {
            return "PostgreSQL " + postgres + "%, services " + services + "%, wrk " + wrk + "%";
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
