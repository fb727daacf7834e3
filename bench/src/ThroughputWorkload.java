import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * W3: {@code POST /api/jobs} and {@code GET /sim/status/200} under wrk (bench/wrk/bench.lua), and
 * the same wrk against the bench upstream, a bare Reactor Netty server: the machine's ceiling.
 */
final class ThroughputWorkload {

    private static final String SLEEP_BODY = "{\"type\":\"sleep\",\"params\":{\"durationMs\":1000}}";

    private ThroughputWorkload() {
    }

    /** One wrk run's {@code WRK_RESULT key=value ...} line. */
    private record WrkResult(String line, Map<String, Double> fields) {
        double get(String name) {
            Double value = fields.get(name);
            if (value == null) {
                throw new BenchFailure("wrk printed no " + name + ": " + line);
            }
            return value;
        }

        boolean clean() {
            return List.of("non2xx", "connect_errors", "read_errors", "write_errors", "timeouts").stream()
                    .allMatch(f -> get(f) == 0);
        }
    }

    static void run(Context c) {
        Tools.ensureWrk(c.options);
        Service service = c.shared();
        RunOptions.Sizes s = c.sizes;
        // One call each first, so a missing endpoint is named instead of showing up as wrk errors.
        service.expect(200, "GET", "/sim/status/200", null);
        service.expect(202, "POST", "/api/jobs", SLEEP_BODY);
        Log.info("W3: warming up " + s.w3WarmupSeconds() + "s per endpoint");
        wrk(c, s.w3WarmupSeconds(), service.port, "/sim/status/200", "GET", "");
        wrk(c, s.w3WarmupSeconds(), service.port, "/api/jobs", "POST", SLEEP_BODY);
        // The machine's ceiling for this load: a bare server answering at once, no framework at all.
        wrk(c, s.w3WarmupSeconds(), c.upstreamPort, "/delay/0", "GET", "");
        List<Double> simRps = new ArrayList<>();
        List<Double> simP99 = new ArrayList<>();
        List<Double> simNon2xx = new ArrayList<>();
        List<Double> jobsRps = new ArrayList<>();
        List<Double> jobsP99 = new ArrayList<>();
        List<Double> jobsNon2xx = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        List<Double> bareRps = new ArrayList<>();
        List<Double> bareP99 = new ArrayList<>();
        for (int rep = 1; rep <= c.options.heavyReps(); rep++) {
            WrkResult sim = wrk(c, s.w3Seconds(), service.port, "/sim/status/200", "GET", "");
            WrkResult jobs = wrk(c, s.w3Seconds(), service.port, "/api/jobs", "POST", SLEEP_BODY);
            WrkResult bare = wrk(c, s.w3Seconds(), c.upstreamPort, "/delay/0", "GET", "");
            Log.info("W3 rep " + rep + ": sim " + sim.line().substring("WRK_RESULT ".length()));
            Log.info("W3 rep " + rep + ": jobs " + jobs.line().substring("WRK_RESULT ".length()));
            Log.info("W3 rep " + rep + ": bare " + bare.line().substring("WRK_RESULT ".length()));
            for (WrkResult r : List.of(sim, jobs, bare)) {
                if (r.get("requests") <= 0) {
                    throw new BenchFailure("W3: wrk completed no request: " + r.line());
                }
                if (c.options.smoke() && !r.clean()) {
                    throw new BenchFailure("W3: errors under wrk (smoke tolerates none): " + r.line());
                }
            }
            simRps.add(sim.get("rps"));
            simP99.add(sim.get("p99_ms"));
            simNon2xx.add(sim.get("non2xx"));
            jobsRps.add(jobs.get("rps"));
            jobsP99.add(jobs.get("p99_ms"));
            jobsNon2xx.add(jobs.get("non2xx"));
            ratio.add(Report.round(jobs.get("rps") / sim.get("rps"), 3));
            bareRps.add(bare.get("rps"));
            bareP99.add(bare.get("p99_ms"));
        }
        String how = "wrk 1 thread, " + s.w3Connections() + " connections, " + s.w3Seconds() + "s after "
                + s.w3WarmupSeconds() + "s warm-up";
        Report r = c.report;
        r.row("W3", "ceiling: GET /delay/0 on a bare Reactor Netty server req/s (" + how + ")", bareRps);
        r.row("W3", "ceiling: bare Reactor Netty server p99 (ms)", bareP99);
        r.row("W3", "GET /sim/status/200 req/s", simRps);
        r.row("W3", "GET /sim/status/200 p99 (ms)", simP99);
        r.row("W3", "GET /sim/status/200 non-2xx", simNon2xx);
        r.row("W3", "POST /api/jobs sleep 1 s req/s", jobsRps, List.of(), ">= 10000", Report.Check.medianAtLeast(10_000));
        r.row("W3", "POST /api/jobs p99 (ms)", jobsP99, List.of(), "<= 20 ms", Report.Check.medianAtMost(20));
        r.row("W3", "POST /api/jobs non-2xx (HTTP >= 400)", jobsNon2xx, List.of(), "0 in every run", Report.Check.maxIs(0));
        r.row("W3", "POST /api/jobs req/s / GET /sim/status/200 req/s", ratio, List.of(), ">= 0.6",
                Report.Check.medianAtLeast(0.6));
    }

    /** One wrk run of {@code seconds} on 127.0.0.1:port; its output is kept in W3-wrk.out. */
    private static WrkResult wrk(Context c, int seconds, int port, String path, String method, String body) {
        List<String> line = List.of("wrk", "-t1", "-c" + c.sizes.w3Connections(), "-d" + seconds + "s",
                "-s", c.options.root().resolve("bench/wrk/bench.lua").toString(), "http://127.0.0.1:" + port + path);
        Children.Output out = Children.run(line, Duration.ofSeconds(seconds + 60L), Map.of("WRK_METHOD", method, "WRK_BODY", body));
        if (!out.ok()) {
            throw new BenchFailure("wrk " + method + " " + path + " failed: " + out.text());
        }
        RunFiles.append(c.file("W3-wrk.out"), out.text());
        String result = out.text().lines().filter(l -> l.startsWith("WRK_RESULT")).findFirst()
                .orElseThrow(() -> new BenchFailure("wrk " + method + " " + path + " printed no result: " + out.text()));
        Map<String, Double> fields = new HashMap<>();
        for (String word : result.split(" ")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                fields.put(word.substring(0, eq), Double.valueOf(word.substring(eq + 1)));
            }
        }
        return new WrkResult(result, fields);
    }
}
