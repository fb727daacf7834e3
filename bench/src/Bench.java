import java.io.IOException;

/**
 * Entry point of the benchmark; {@code bench/run.sh} compiles {@code bench/src/*.java} against the
 * libraries inside the service's own jar, so the benchmark needs nothing the service does not
 * already ship. Everything binds to and calls 127.0.0.1 only; every loop is bounded by a count and
 * every wait by a timeout.
 *
 * <p>Commands:
 * <ul>
 *   <li>{@code run [run.sh options]}: the whole benchmark (see {@link RunOptions} and
 *       bench/README.md): starts the upstream and the services, runs the workloads, writes the
 *       report.</li>
 * </ul>
 * and the helpers {@code run} starts as JVMs of their own, so that they do not share a JIT, a heap
 * or a core budget with the process that supervises them (options are {@code --name value}):
 * <ul>
 *   <li>{@code upstream --port-file F [--port 0] [--max-seconds 14400]}: answers
 *       {@code GET /delay/{ms}} after ms with {@code {"delayMs":ms}}; runs until killed or
 *       max-seconds.</li>
 *   <li>{@code floor --upstream-port P --n N --delay-ms D [--concurrency C] [--reps R]}: the floor
 *       alone (a bare Reactor Netty HttpClient making N calls), to check the upstream.</li>
 *   <li>{@code fanout --upstream-port P --service-port S --n N --delay-ms D [--concurrency C]
 *       [--warmup W] [--reps R]}: alternates the floor and one {@code POST /api/fanout/gather} of
 *       the same N URLs, R times after W warm-up rounds.</li>
 *   <li>{@code submit --service-port S --body JSON --n N [--concurrency C] [--rate R]
 *       [--expect 202] [--timeout-s T]}: posts N jobs to {@code /api/jobs} at bounded
 *       concurrency, paced at R per second when R &gt; 0; fails at the first unexpected status.</li>
 *   <li>{@code freeport}: prints a free loopback TCP port.</li>
 * </ul>
 * Helpers print their results as {@code RESULT name value...} lines; errors go to stderr as
 * {@code bench: ...} with exit status 1 (2 for usage errors).
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] argv) {
        String command = argv.length > 0 ? argv[0] : "";
        if (command.equals("run")) {
            System.exit(Run.main(RunOptions.parse(argv)));
        }
        Options options = Options.parse(argv, 1);
        try {
            switch (command) {
                case "upstream" -> Upstream.serve(options);
                case "floor" -> FanoutDriver.floorOnly(options);
                case "fanout" -> FanoutDriver.fanout(options);
                case "submit" -> Submitter.submit(options);
                case "freeport" -> System.out.println(Calls.freePort());
                default -> Options.usage("unknown command '" + command + "'");
            }
        } catch (BenchFailure e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(1);
        } catch (RuntimeException | IOException e) {
            System.err.println("bench: " + command + " failed: " + e);
            System.exit(1);
        }
        System.exit(0);
    }
}
