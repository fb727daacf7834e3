import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * W3 (issue 18): the service's request path read against the framework's own speed. Every measured
 * rep puts the same wrk (bench/wrk/bench.lua) on, in turn: the control's {@code POST /api/jobs}
 * (bench/control, bare Spring WebFlux), the service's, the control's {@code GET /sim/status/200},
 * the service's, the bench upstream (a bare Reactor Netty server: what the machine serves at all),
 * then the same POST and GET on a second service started with an API key (access control on).
 * Alternating within a rep puts every pair in the same minute of a machine whose speed drifts, so
 * the targets are ratios taken rep by rep. With {@code --baseline-jar}, another build of the service
 * takes its POST and GET turns beside the service's, for before-and-after ratios of two jars.
 */
final class ThroughputWorkload {

    /** The 1 ms sleep job: it ends at once, so no phase inherits the previous one's timers. */
    private static final String JOB_BODY = Context.SHORT_JOB_BODY;

    private ThroughputWorkload() {
    }

    /**
     * Something W3 puts under wrk, and what its measured runs gave. A ceiling (the control, the bare
     * server) must answer every request: the service's ratios to an erring ceiling would mean nothing.
     */
    private static final class Endpoint {
        final String label;
        final int port;
        final String method;
        final String path;
        final String body;
        final ApiKey key;
        final int warmupSeconds;
        final boolean ceiling;
        final List<Double> rps = new ArrayList<>();
        final List<Double> p99 = new ArrayList<>();
        final List<Double> non2xx = new ArrayList<>();

        Endpoint(String label, int port, String method, String path, String body, ApiKey key, int warmupSeconds,
                 boolean ceiling) {
            this.label = label;
            this.port = port;
            this.method = method;
            this.path = path;
            this.body = body;
            this.key = key;
            this.warmupSeconds = warmupSeconds;
            this.ceiling = ceiling;
        }

        static Endpoint post(String label, Service server, ApiKey key, int warmupSeconds, boolean ceiling) {
            return new Endpoint(label, server.port, "POST", "/api/jobs", JOB_BODY, key, warmupSeconds, ceiling);
        }

        static Endpoint get(String label, Service server, ApiKey key, int warmupSeconds, boolean ceiling) {
            return new Endpoint(label, server.port, "GET", "/sim/status/200", "", key, warmupSeconds, ceiling);
        }

        void record(WrkResult r, boolean smoke) {
            if (r.get("requests") <= 0) {
                throw new BenchFailure("W3: wrk completed no request on the " + label + ": " + r.line());
            }
            if ((smoke || ceiling) && !r.clean("non2xx")) {
                throw new BenchFailure("W3: errors under wrk on the " + label
                        + (ceiling ? " (a ceiling must answer every request)" : " (smoke tolerates none)") + ": " + r.line());
            }
            rps.add(r.get("rps"));
            p99.add(r.get("p99_ms"));
            non2xx.add(r.get("non2xx"));
        }

        /** This endpoint's req/s over {@code other}'s, rep by rep. */
        List<Double> ratiosTo(Endpoint other) {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < rps.size(); i++) {
                ratios.add(Report.round(rps.get(i) / other.rps.get(i), 3));
            }
            return ratios;
        }
    }

    static void run(Context c) {
        Tools.ensureWrk(c.options);
        RunOptions.Sizes s = c.sizes;
        Service service = c.shared();
        Service control = Service.startControl(c, ControlApp.build(c));
        ApiKey key = ApiKey.random("bench");
        Service keyed = Service.start(c, "keyed", key, "--asyncpatterns.jobs.shutdown-grace=1s");
        checkEndpoints(service, control, keyed);
        // A service JVM's POST settles slowest (shared/MEASURED.md: about a minute of load to level
        // off; the control in seconds), so it warms longest. The measured reps go on warming every
        // side equally.
        int postWarmup = s.w3PostWarmupSeconds();
        int warmup = s.w3WarmupSeconds();
        Endpoint controlPost = Endpoint.post("control's POST", control, null, warmup, true);
        Endpoint servicePost = Endpoint.post("service's POST", service, null, postWarmup, false);
        Endpoint controlGet = Endpoint.get("control's GET", control, null, warmup, true);
        Endpoint serviceGet = Endpoint.get("service's GET", service, null, warmup, false);
        Endpoint bare = new Endpoint("bare Reactor Netty server", c.upstreamPort, "GET", "/delay/0", "", null, warmup, true);
        Endpoint keyedPost = Endpoint.post("keyed service's POST", keyed, key, postWarmup, false);
        Endpoint keyedGet = Endpoint.get("keyed service's GET", keyed, key, warmup, false);
        List<Endpoint> order = new ArrayList<>(List.of(controlPost, servicePost, controlGet, serviceGet, bare, keyedPost,
                keyedGet));
        // Another build of the service, measured in the same reps: "does this change regress?" as a
        // ratio of two jars on one machine in one minute, not of two runs hours apart.
        Service baseline = c.options.baselineJar() == null ? null
                : Service.start(c, "baseline", c.options.baselineJar(), null, "--asyncpatterns.jobs.shutdown-grace=1s");
        Endpoint baselinePost = baseline == null ? null : Endpoint.post("baseline's POST", baseline, null, postWarmup, false);
        Endpoint baselineGet = baseline == null ? null : Endpoint.get("baseline's GET", baseline, null, warmup, false);
        if (baseline != null) {
            baseline.expect(202, "POST", "/api/jobs", JOB_BODY);
            order.add(2, baselinePost);
            order.add(5, baselineGet);
        }
        Log.info("W3: warming up " + postWarmup + "s per service POST, " + warmup + "s per other endpoint");
        for (Endpoint e : order) {
            wrk(c, e.warmupSeconds, e);
        }
        for (int rep = 1; rep <= c.options.heavyReps(); rep++) {
            for (Endpoint e : order) {
                WrkResult result = wrk(c, s.w3Seconds(), e);
                Log.info("W3 rep " + rep + ": " + e.label + " " + result.line().substring("WRK_RESULT ".length()));
                e.record(result, c.options.smoke());
            }
        }
        control.stop();
        keyed.stop();
        if (baseline != null) {
            baseline.stop();
        }
        Report r = c.report;
        String how = "wrk 1 thread, " + s.w3Connections() + " connections, " + s.w3Seconds() + "s per run, reps alternating";
        r.row("W3", "ceiling: GET /delay/0 on a bare Reactor Netty server req/s (" + how + ")", bare.rps);
        r.row("W3", "ceiling: bare Reactor Netty server p99 (ms)", bare.p99);
        r.row("W3", "control (bare Spring WebFlux): POST /api/jobs req/s", controlPost.rps);
        r.row("W3", "control: POST /api/jobs p99 (ms)", controlPost.p99);
        r.row("W3", "control: GET /sim/status/200 req/s", controlGet.rps);
        r.row("W3", "control: GET /sim/status/200 p99 (ms)", controlGet.p99);
        serviceRows(r, "service", servicePost, serviceGet, controlPost, controlGet);
        serviceRows(r, "service, API key on", keyedPost, keyedGet, controlPost, controlGet);
        if (baseline != null) {
            // Not judged: the targets are the service's; the baseline is what it is read against.
            String who = "baseline (" + c.options.baselineJar().getFileName() + ")";
            r.row("W3", who + ": POST /api/jobs req/s", baselinePost.rps);
            r.row("W3", who + ": POST /api/jobs p99 (ms)", baselinePost.p99);
            r.row("W3", who + ": GET /sim/status/200 req/s", baselineGet.rps);
            r.row("W3", "service / baseline: POST /api/jobs req/s", servicePost.ratiosTo(baselinePost));
            r.row("W3", "service / baseline: GET /sim/status/200 req/s", serviceGet.ratiosTo(baselineGet));
        }
        r.row("W3", "what security costs: POST /api/jobs req/s with the API key / without", keyedPost.ratiosTo(servicePost));
        r.row("W3", "what security costs: GET /sim/status/200 req/s with the API key / without", keyedGet.ratiosTo(serviceGet));
    }

    /**
     * One call each first, so a missing endpoint is named instead of showing up as wrk errors; and
     * the keyed service must refuse a call without its key, or its rows would not measure access control.
     */
    private static void checkEndpoints(Service service, Service control, Service keyed) {
        for (Service server : List.of(control, service, keyed)) {
            server.expect(202, "POST", "/api/jobs", JOB_BODY);
            server.expect(200, "GET", "/sim/status/200", null);
        }
        Service.Answer anonymous = Service.send(keyed.port, "POST", "/api/jobs", JOB_BODY, Duration.ofSeconds(30));
        if (anonymous.status() != 401) {
            throw new BenchFailure("the service started with an API key answered POST /api/jobs without it with "
                    + anonymous + " (expected 401): access control is not on; see docs/security.md");
        }
    }

    /** The targets for one service, as ratios to the control of the same rep. */
    private static void serviceRows(Report r, String who, Endpoint post, Endpoint get, Endpoint controlPost,
                                    Endpoint controlGet) {
        r.row("W3", who + ": POST /api/jobs sleep 1 ms req/s", post.rps);
        r.row("W3", who + ": POST /api/jobs p99 (ms)", post.p99, List.of(), "<= 8 ms", Report.Check.medianAtMost(8));
        r.row("W3", who + ": POST /api/jobs non-2xx (HTTP >= 400)", post.non2xx, List.of(), "0 in every run",
                Report.Check.maxIs(0));
        r.row("W3", who + ": POST /api/jobs req/s / control's", post.ratiosTo(controlPost), List.of(), ">= 0.6",
                Report.Check.medianAtLeast(0.6));
        r.row("W3", who + ": GET /sim/status/200 req/s", get.rps);
        r.row("W3", who + ": GET /sim/status/200 p99 (ms)", get.p99);
        r.row("W3", who + ": GET /sim/status/200 non-2xx", get.non2xx);
        r.row("W3", who + ": GET /sim/status/200 req/s / control's", get.ratiosTo(controlGet), List.of(), ">= 0.8",
                Report.Check.medianAtLeast(0.8));
    }

    /** One wrk run of {@code seconds} on the endpoint; its output is kept in W3-wrk.out. */
    private static WrkResult wrk(Context c, int seconds, Endpoint e) {
        List<String> line = List.of("wrk", "-t1", "-c" + c.sizes.w3Connections(), "-d" + seconds + "s",
                "-s", c.options.root().resolve("bench/wrk/bench.lua").toString(), "http://127.0.0.1:" + e.port + e.path);
        Map<String, String> env = Map.of("WRK_METHOD", e.method, "WRK_BODY", e.body,
                "WRK_API_KEY", e.key == null ? "" : e.key.key());
        Children.Output out = Children.run(line, Duration.ofSeconds(seconds + 60L), env);
        if (!out.ok()) {
            throw new BenchFailure("wrk on the " + e.label + " failed: " + out.text());
        }
        RunFiles.append(c.file("W3-wrk.out"), e.label + ":\n" + out.text());
        return WrkResult.parse(out.text(), "WRK_RESULT", e.label);
    }
}
