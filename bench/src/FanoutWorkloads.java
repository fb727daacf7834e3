import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** W1 and W2: one gather against the floor, a bare client making the same calls in the same run. */
final class FanoutWorkloads {

    static final int UPSTREAM_DELAY_MS = 50;

    private FanoutWorkloads() {
    }

    static void w1(Context c) {
        int urls = c.sizes.w1Urls();
        Times times = measure(c, c.shared(), "W1", urls, 0, c.sizes.w1Warmup());
        c.report.row("W1", "floor: " + urls + " calls to a " + UPSTREAM_DELAY_MS + " ms upstream, all at once (ms)", times.floor());
        c.report.row("W1", "gather of " + urls + " URLs, no concurrency limit (ms)", times.service(), times.floor(),
                "<= 1.10x floor", Report.Check.ratioAtMost(1.10));
    }

    static void w2(Context c) {
        int urls = c.sizes.w2Urls();
        int concurrency = c.sizes.w2Concurrency();
        Times times = measure(c, c.shared(), "W2", urls, concurrency, c.sizes.w2Warmup());
        c.report.row("W2", "floor: " + urls + " calls at concurrency " + concurrency + " (ms)", times.floor());
        c.report.row("W2", "gather of " + urls + " URLs at concurrency " + concurrency + " (ms)", times.service(),
                times.floor(), "<= 1.05x floor", Report.Check.ratioAtMost(1.05));
    }

    /** The measured rounds, and the floor's first (warm-up) batch: a fresh JVM's, cold, on new connections. */
    record Times(List<Double> floor, List<Double> service, double firstFloor) {
    }

    /** Runs the fan-out driver JVM (its output in NAME.out) against {@code service}. */
    static Times measure(Context c, Service service, String name, int urls, int concurrency, int warmup) {
        List<String> line = Jvm.bench(c.options, List.of(), "fanout");
        line.addAll(List.of("--upstream-port", Integer.toString(c.upstreamPort),
                "--service-port", Integer.toString(service.port), "--n", Integer.toString(urls),
                "--delay-ms", Integer.toString(UPSTREAM_DELAY_MS), "--concurrency", Integer.toString(concurrency),
                "--warmup", Integer.toString(warmup), "--reps", Integer.toString(c.options.reps())));
        // Bounded like every call it makes: 60 s per gather and per floor batch, a round each.
        Children.Output out = Children.run(line, Duration.ofSeconds(150L * (warmup + c.options.reps()) + 60));
        RunFiles.write(c.file(name + ".out"), out.text());
        if (!out.ok()) {
            throw new BenchFailure(name + ": " + out.text().lines()
                    .filter(l -> !l.startsWith("REP") && !l.startsWith("WARMUP")).collect(Collectors.joining("\n")));
        }
        return new Times(result(out.text(), "floor_ms"), result(out.text(), "service_ms"),
                result(out.text(), "first_floor_ms").get(0));
    }

    /** The values of a helper's {@code RESULT name v1 v2 ...} line. */
    static List<Double> result(String output, String name) {
        String prefix = "RESULT " + name + " ";
        return output.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> Arrays.stream(l.substring(prefix.length()).trim().split("\\s+")).map(Double::valueOf).toList())
                .orElseThrow(() -> new BenchFailure("no " + name + " in the output: " + Calls.abbreviate(output)));
    }
}
