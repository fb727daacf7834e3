import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The options of {@code bench/run.sh} (its usage text lists them) and the sizes they select: the
 * issue's full sizes, or tiny ones in smoke mode that only prove every step runs. run.sh adds
 * {@code --root}, {@code --run-dir}, {@code --stamp} and {@code --bench-classpath}.
 */
record RunOptions(boolean smoke, Path jar, Path baselineJar, List<String> only, int reps, int heavyReps, boolean jfr,
                  Path root, Path runDir, String stamp, String benchClasspath, Sizes sizes) {

    static final List<String> ALL = List.of("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9", "W10");

    /** Workload sizes; see bench/README.md for what each one measures. */
    record Sizes(int w1Urls, int w1Warmup, int w2Urls, int w2Concurrency, int w2Warmup,
                 int w3WarmupSeconds, int w3PostWarmupSeconds, int w3Seconds, int w3Connections, int w4Jobs,
                 int w5Tickers, int w5GraceMs, int w6Jobs, int w6Rate, int w6WarmupJobs,
                 int w7Jobs, int w7WarmupRounds, int w7PgbenchSeconds, int w7Cancels, int w8Jobs, int w8SpreadMs, int w8PostgresJobs, int w8PostgresRate,
                 int w9Jobs, int w9StartRate, int warmupJobs) {

        static Sizes smoke() {
            return new Sizes(20, 1, 200, 20, 1, 1, 1, 1, 4, 300, 50, 1000, 500, 500, 100, 200, 1, 2, 3, 300, 2000, 200, 100, 100, 100, 50);
        }

        /**
         * The floor alone needs ~30 rounds of W1 before the JIT settles. One service's POST of a
         * 1 ms job went from 972 to 4,791 a second over six rounds of 20,000: W7 warms with five.
         */
        static Sizes full(int soakJobs, int soakRate) {
            return new Sizes(1000, 30, 10_000, 1000, 5, 10, 60, 10, 32, 100_000, 10_000, 2000,
                    soakJobs, soakRate, 20_000, 20_000, 5, 10, 20, 100_000, 60_000, 20_000, 1000, 10_000, 1000, 5000);
        }
    }

    boolean selected(String workload) {
        return only.contains(workload);
    }

    static RunOptions parse(String[] argv) {
        boolean smoke = false;
        boolean jfr = false;
        String jar = null;
        String baselineJar = null;
        String only = String.join(",", ALL);
        // W1's batches take ~100 ms and vary by a third from one to the next on two shared cores: with
        // 7 reps, three runs in a row measured 0.87x, 1.12x and 1.28x of the floor; with 31, 0.96x and 1.01x.
        int reps = 31;
        int heavyReps = 3;
        int soakJobs = 1_000_000;
        int soakRate = 5000;
        String root = null;
        String runDir = null;
        String stamp = null;
        String classpath = null;
        List<String> args = new ArrayList<>(Arrays.asList(argv).subList(1, argv.length));
        while (!args.isEmpty()) {
            String name = args.remove(0);
            switch (name) {
                case "--smoke" -> smoke = true;
                case "--jfr" -> jfr = true;
                case "--jar" -> jar = value(args, name, "a path");
                case "--baseline-jar" -> baselineJar = value(args, name, "a path");
                case "--only" -> only = value(args, name, "a list").toUpperCase(Locale.ROOT);
                case "--reps" -> reps = number(value(args, name, "a number"));
                case "--heavy-reps" -> heavyReps = number(value(args, name, "a number"));
                case "--soak-jobs" -> soakJobs = number(value(args, name, "a number"));
                case "--soak-rate" -> soakRate = number(value(args, name, "a number"));
                case "--root" -> root = value(args, name, "a path");
                case "--run-dir" -> runDir = value(args, name, "a path");
                case "--stamp" -> stamp = value(args, name, "a stamp");
                case "--bench-classpath" -> classpath = value(args, name, "a class path");
                default -> usage("unknown option '" + name + "'");
            }
        }
        if (!only.matches("W(10|[1-9])(,W(10|[1-9]))*")) {
            usage("--only takes e.g. W1,W3 (got '" + only + "')");
        }
        if (jar == null || root == null || runDir == null || stamp == null || classpath == null) {
            usage("start the benchmark with bench/run.sh");
        }
        Sizes sizes = smoke ? Sizes.smoke() : Sizes.full(soakJobs, soakRate);
        if (baselineJar != null && !Files.isRegularFile(Path.of(baselineJar))) {
            usage("no jar at '" + baselineJar + "' (--baseline-jar)");
        }
        Path baseline = baselineJar == null ? null : Path.of(baselineJar).toAbsolutePath();
        return new RunOptions(smoke, Path.of(jar), baseline, List.of(only.split(",")), smoke ? 1 : reps,
                smoke ? 1 : heavyReps, jfr, Path.of(root), Path.of(runDir), stamp, classpath, sizes);
    }

    private static String value(List<String> args, String name, String what) {
        if (args.isEmpty()) {
            usage(name + " needs " + what);
        }
        return args.remove(0);
    }

    private static int number(String text) {
        if (!text.matches("[1-9][0-9]{0,8}")) {
            usage("'" + text + "' is not a positive whole number");
        }
        return Integer.parseInt(text);
    }

    /** run.sh prints its usage text after this message when the exit status is 2. */
    private static void usage(String problem) {
        System.err.println("run.sh: " + problem);
        System.exit(2);
    }
}
