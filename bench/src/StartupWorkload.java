import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * W10: start and first call (issue 18). How long {@code java -jar} takes from launch to readiness
 * UP, the same for the start the Docker image makes (extracted jar and an AppCDS archive from a
 * training run), and what the first gather right after readiness costs over a warm one.
 */
final class StartupWorkload {

    /** Gathers after the driver's warm-up, whose median is the warm figure. */
    private static final int WARM_GATHERS = 3;

    private StartupWorkload() {
    }

    static void run(Context c) {
        int urls = c.sizes.w1Urls();
        String body = FanoutDriver.gatherBody(
                FanoutDriver.upstreamUrl(c.upstreamPort, FanoutWorkloads.UPSTREAM_DELAY_MS), urls, 0);
        Cds cds = Cds.build(c);
        List<Double> plain = new ArrayList<>();
        List<Double> shared = new ArrayList<>();
        List<Double> firsts = new ArrayList<>();
        List<Double> warms = new ArrayList<>();
        List<Double> penalties = new ArrayList<>();
        for (int rep = 1; rep <= c.options.heavyReps(); rep++) {
            Service service = Service.start(c, "W10-jar-" + rep);
            plain.add(service.startMillis());
            double first = gather(service, body, urls); // the moment readiness said UP
            FanoutWorkloads.measure(c, service, "W10-warmup-" + rep, urls, 0, c.sizes.w1Warmup());
            List<Double> warm = new ArrayList<>();
            for (int i = 0; i < WARM_GATHERS; i++) {
                warm.add(gather(service, body, urls));
            }
            double warmMedian = Report.median(warm.stream().mapToDouble(Double::doubleValue).sorted().toArray());
            service.stop();
            Log.info("W10 rep " + rep + ": java -jar ready in " + service.startMillis() + " ms; first gather "
                    + first + " ms, warm " + warmMedian + " ms");
            firsts.add(first);
            warms.add(warmMedian);
            penalties.add(Report.round(first - warmMedian, 1));
            Service docker = Service.start(c, "W10-cds-" + rep, cds.jar(), cds.jvmOptions(), null);
            shared.add(docker.startMillis());
            docker.stop();
            // The JVM warns under the [cds] tag (by default to the log) when it cannot map the archive.
            docker.logLinesAfter(0).stream().filter(l -> l.contains("[cds]")).findFirst().ifPresent(l -> {
                throw new BenchFailure("W10: the AppCDS archive was not used: " + l);
            });
        }
        Report r = c.report;
        r.row("W10", "java -jar: launch to readiness UP (ms, polled every 10 ms)", plain, List.of(), "<= 4000 ms",
                Report.Check.medianAtMost(4000));
        r.row("W10", "as the Docker image starts it (extracted jar, AppCDS archive): launch to readiness UP (ms)",
                shared, List.of(), "<= 4000 ms", Report.Check.medianAtMost(4000));
        r.row("W10", "first gather of " + urls + " URLs right after readiness (ms)", firsts);
        r.row("W10", "the same gather after W1's " + c.sizes.w1Warmup() + " warm-up rounds (ms, median of "
                + WARM_GATHERS + ")", warms);
        r.row("W10", "first gather minus warm gather (ms)", penalties, List.of(), "<= 100 ms",
                Report.Check.medianAtMost(100));
    }

    /** One gather from this JVM, timed from sending to the whole answer; every call must have succeeded. */
    private static double gather(Service service, String body, int urls) {
        long start = System.nanoTime();
        Service.Answer answer = service.callWhole("POST", "/api/fanout/gather", body);
        double ms = Report.round((System.nanoTime() - start) / 1e6, 1);
        if (answer.status() != 200) {
            throw new BenchFailure("W10: POST /api/fanout/gather answered " + Calls.abbreviate(answer.toString()));
        }
        FanoutDriver.checkGathered(answer.body(), urls);
        return ms;
    }

    /**
     * The Docker image's start, rebuilt in the run folder once: the jar extracted by Spring Boot's
     * tools jar mode and an AppCDS archive recorded by a training run that exits once the context
     * has refreshed (the Dockerfile's two steps), on the service's own JVM options.
     */
    private record Cds(Path jar, List<String> jvmOptions) {

        static Cds build(Context c) {
            // Under lib/, which run.sh deletes at exit: the extracted libraries and the archive are 100 MB.
            Path dir = c.options.runDir().resolve("lib/W10-extracted");
            Path jar = dir.resolve("application.jar");
            Path archive = dir.resolve("application.jsa");
            step(c, "W10-extract.out", List.of(Jvm.tool("java"), "-Djarmode=tools", "-jar", c.options.jar().toString(),
                    "extract", "--destination", dir.toString(), "--application-filename", "application.jar"));
            List<String> training = new ArrayList<>(List.of(Jvm.tool("java"), Service.HEAP));
            training.addAll(Service.HEAP_SIZING);
            training.addAll(Jvm.words("SERVICE_JAVA_OPTS"));
            // No port of its own: the context exits before serving, but should it bind, it binds a free one.
            training.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=error",
                    "-Dspring.context.exit=onRefresh", "-jar", jar.toString(), "--server.port=0",
                    "--asyncpatterns.tcp.port=0"));
            step(c, "W10-training.out", training);
            if (!Files.isRegularFile(archive)) {
                throw new BenchFailure("W10: the training run wrote no " + archive + " (see W10-training.out)");
            }
            Log.info("W10: AppCDS archive of the extracted jar built in " + Machine.relative(c.options, dir));
            return new Cds(jar, List.of("-XX:SharedArchiveFile=" + archive));
        }

        private static void step(Context c, String outName, List<String> line) {
            Children.Output out = Children.run(line, Duration.ofSeconds(300));
            RunFiles.write(c.file(outName), out.text());
            if (!out.ok()) {
                throw new BenchFailure("W10: " + String.join(" ", line) + " failed: " + Calls.abbreviate(out.text()));
            }
        }
    }
}
