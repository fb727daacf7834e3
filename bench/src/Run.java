import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code bench/run.sh}'s run: starts the upstream and the shared service, runs the selected
 * workloads in order, saves the table. A workload that fails is recorded as ERRORED and what it
 * left running is stopped; a full run goes on with the next one, a smoke run stops there.
 */
final class Run {

    private static final Map<String, Consumer<Context>> WORKLOADS = new LinkedHashMap<>();

    static {
        WORKLOADS.put("W1", FanoutWorkloads::w1);
        WORKLOADS.put("W2", FanoutWorkloads::w2);
        WORKLOADS.put("W3", ThroughputWorkload::run);
        WORKLOADS.put("W4", FootprintWorkload::run);
        WORKLOADS.put("W5", ShutdownWorkload::run);
        WORKLOADS.put("W6", SoakWorkload::run);
        WORKLOADS.put("W7", ClusterWorkload::run);
        WORKLOADS.put("W8", DelayedWorkload::run);
        WORKLOADS.put("W9", CallbacksWorkload::run);
        WORKLOADS.put("W10", StartupWorkload::run);
    }

    private Run() {
    }

    /** The exit status: 0 when every workload ran (missed targets included), 1 when one errored. */
    static int main(RunOptions o) {
        Log.to(o.runDir().resolve("run.log"));
        Children.installShutdownHook();
        Log.info("run folder: " + Machine.relative(o, o.runDir()) + (o.smoke() ? " (smoke)" : ""));
        Report report = new Report(o.smoke());
        Context context;
        long started;
        try {
            Process upstream = startUpstream(o);
            context = new Context(o, report, upstreamPort(o, upstream));
            started = System.nanoTime();
            if (needsShared(o)) {
                context.shared = Service.start(context, "shared", "--asyncpatterns.jobs.shutdown-grace=1s");
            }
        } catch (BenchFailure e) {
            Log.info("ERROR: " + e.getMessage());
            return 1;
        }
        int ran = runWorkloads(context);
        if (context.shared != null) {
            context.shared.stop();
        }
        return finish(context, started, ran);
    }

    /**
     * W1-W3 share one service; W4-W6 measure heap or shutdown, so each gets a fresh JVM -- except
     * in smoke mode, where W4 and W6 reuse the shared one to keep the run short. W5 always needs its
     * own (it is shut down). Smoke runs W6 before W4: W4 leaves long sleep jobs running on the
     * shared service, and W6 waits for the registry to be idle.
     */
    private static int runWorkloads(Context c) {
        List<String> order = c.options.smoke()
                ? List.of("W1", "W2", "W3", "W6", "W8", "W9", "W4", "W5", "W7", "W10") : List.copyOf(WORKLOADS.keySet());
        int ran = 0;
        for (String name : order) {
            if (!c.options.selected(name)) {
                continue;
            }
            ran++;
            if (name.equals("W4") && !c.options.smoke() && c.shared != null) {
                c.shared.stop(); // W1-W3 are done with it
                c.shared = null;
            }
            if (!runOne(c, name) && c.options.smoke()) {
                Log.info("smoke: stopping at the first error");
                break;
            }
        }
        return ran;
    }

    private static boolean runOne(Context c, String name) {
        Log.info("---- " + name);
        Set<Process> before = new HashSet<>(Children.snapshot());
        try {
            WORKLOADS.get(name).accept(c);
            return true;
        } catch (RuntimeException e) {
            String message = e instanceof BenchFailure ? e.getMessage() : e.toString();
            String line = Log.info("ERROR: " + message);
            c.report.error(name, name + " errored (exit 1): " + line);
            return false;
        } finally {
            // Whatever the workload started and left behind (a failed workload's service) stops here.
            Children.snapshot().stream().filter(p -> !before.contains(p)).forEach(p -> Children.stop(p, 60));
        }
    }

    private static Process startUpstream(RunOptions o) {
        List<String> line = new ArrayList<>(Jvm.bench(o, List.of(), "upstream"));
        // Its lifetime is bounded too, in case this run is killed with SIGKILL.
        line.addAll(List.of("--port-file", o.runDir().resolve("upstream.port").toString(), "--max-seconds", "21600"));
        return Children.start(line, o.runDir().resolve("upstream.log"), Map.of());
    }

    private static int upstreamPort(RunOptions o, Process upstream) {
        Path portFile = o.runDir().resolve("upstream.port");
        for (int i = 0; i < 300 && !Files.exists(portFile); i++) {
            if (!upstream.isAlive()) {
                throw new BenchFailure("the upstream died: " + read(o.runDir().resolve("upstream.log")));
            }
            Pause.millis(100);
        }
        if (!Files.exists(portFile)) {
            throw new BenchFailure("the upstream did not start within 30 s");
        }
        int port = Integer.parseInt(read(portFile).trim());
        if (Service.send(port, "GET", "/delay/0", null, Duration.ofSeconds(5)).status() != 200) {
            throw new BenchFailure("the upstream does not answer GET /delay/0 with 200");
        }
        Log.info("upstream on 127.0.0.1:" + port + " (pid " + upstream.pid() + ")");
        return port;
    }

    private static boolean needsShared(RunOptions o) {
        List<String> users = o.smoke() ? List.of("W1", "W2", "W3", "W4", "W6") : List.of("W1", "W2", "W3");
        return users.stream().anyMatch(o::selected);
    }

    /** Saves the table (smoke runs: in the run folder only), prints it and the line CI reads. */
    private static int finish(Context c, long started, int ran) {
        RunOptions o = c.options;
        Path file = o.smoke() ? o.runDir().resolve("smoke-results.md") : o.root().resolve("bench/results/" + o.stamp() + ".md");
        String text = "# Benchmark run " + o.stamp() + " UTC" + (o.smoke() ? " (smoke: tiny sizes, targets not judged)" : "")
                + "\n\n" + Machine.header(o)
                + "- Took " + (System.nanoTime() - started) / 1_000_000_000 + " s; logs in `" + Machine.relative(o, o.runDir()) + "`.\n\n"
                + c.report.markdown();
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            Log.info("ERROR: cannot write " + file + ": " + e.getMessage());
            return 1;
        }
        System.out.print(text);
        Log.info("saved " + Machine.relative(o, file));
        int failed = c.report.errorCount();
        // The plain closing line CI reads: workloads that ran without error, and those that errored.
        System.out.println("bench: " + (ran - failed) + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }
}
