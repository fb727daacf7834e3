import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What every workload works with: the options, the report, the upstream and the shared service. */
final class Context {

    static final String SHORT_JOB_BODY = "{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}";
    static final int SUBMIT_CONCURRENCY = 64;

    final RunOptions options;
    final RunOptions.Sizes sizes;
    final Report report;
    final int upstreamPort;
    /** W1-W3 share one service; in smoke mode W4 and W6 use it too, to keep the run short. */
    Service shared;

    Context(RunOptions options, Report report, int upstreamPort) {
        this.options = options;
        this.sizes = options.sizes();
        this.report = report;
        this.upstreamPort = upstreamPort;
    }

    Service shared() {
        if (shared == null) {
            throw new BenchFailure("internal: no shared service");
        }
        return shared;
    }

    /** A fresh service, or in smoke mode the shared one when it runs. */
    Service service(String name, String... properties) {
        return options.smoke() && shared != null ? shared : Service.start(this, name, properties);
    }

    void release(Service service) {
        if (service != shared) {
            service.stop();
        }
    }

    Path file(String name) {
        return options.runDir().resolve(name);
    }

    /** A submitter JVM posting n jobs to the service on {@code port}, its output in {@code out}. */
    Process startSubmitting(int port, int n, String body, int rate, Path out, String... submitterOptions) {
        // C1 only: a short-lived load generator reaches speed sooner, and its compiler threads take
        // less CPU away from the service on 2 cores.
        List<String> line = Jvm.bench(options, List.of("-XX:TieredStopAtLevel=1"), "submit");
        line.addAll(List.of("--service-port", Integer.toString(port), "--n", Integer.toString(n), "--body", body,
                "--concurrency", Integer.toString(SUBMIT_CONCURRENCY), "--rate", Integer.toString(rate),
                "--timeout-s", Integer.toString(timeoutSeconds(n))));
        line.addAll(List.of(submitterOptions));
        return Children.start(line, out, Map.of());
    }

    /** Waits for a submitter; every job must have been answered 202. Returns the rate achieved. */
    double finishSubmitting(Process submitter, int n, Path out) {
        try {
            boolean ended = submitter.waitFor(timeoutSeconds(n) + 60L, TimeUnit.SECONDS);
            String text = Files.readString(out).strip();
            Children.stop(submitter, 5);
            if (!ended || submitter.exitValue() != 0) {
                throw new BenchFailure("submitting " + n + " jobs: " + text);
            }
            double rate = result(text, "submit_rate");
            Log.info("submitted " + n + " jobs at " + rate + "/s");
            return rate;
        } catch (IOException e) {
            throw new BenchFailure("cannot read " + out + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }

    double submit(Service service, int n, String body, int rate, String... submitterOptions) {
        Path out = file("submit-" + service.name + ".out");
        return finishSubmitting(startSubmitting(service.port, n, body, rate, out, submitterOptions), n, out);
    }

    /** A {@code RESULT name value} line of the last submitter run against {@code service} (say {@code p99_ms}). */
    double lastSubmitResult(Service service, String name) {
        Path out = file("submit-" + service.name + ".out");
        try {
            return result(Files.readString(out), name);
        } catch (IOException e) {
            throw new BenchFailure("cannot read " + out + ": " + e.getMessage());
        }
    }

    private static double result(String text, String name) {
        String prefix = "RESULT " + name + " ";
        return text.lines().filter(l -> l.startsWith(prefix)).map(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst().orElseThrow(() -> new BenchFailure("the submitter printed no " + name + ": " + text));
    }

    double submit(Service service, int n, String body) {
        return submit(service, n, body, 0);
    }

    /** JIT the submit path before anything is measured. */
    void warmJobs(Service service) {
        submit(service, sizes.warmupJobs(), SHORT_JOB_BODY);
        service.awaitNoActiveJobs(120);
    }

    private static int timeoutSeconds(int n) {
        return 900 + n / 500;
    }
}
