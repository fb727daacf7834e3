import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * W10: start and first call (issue 18). How long {@code java -jar} takes from launch to readiness
 * UP, the same for the start the Docker image makes (extracted jar and an ahead-of-time cache from a
 * training run, on the image's JDK), and what the first gather right after readiness costs over a
 * warm one. Controls in the same run: bench/control (bare WebFlux) started both ways, and W1's bare
 * client's first batch in a fresh JVM against its warm one.
 */
final class StartupWorkload {

    /** Gathers after the driver's warm-up, whose median is the warm figure. */
    private static final int WARM_GATHERS = 3;

    /**
     * The outbound pool's idle limit for W10's services: short, so that one pause after the warm
     * gathers leaves the pool empty and the next gather opens its connections anew. Back-to-back
     * gathers never leave a connection idle that long.
     */
    private static final Duration MAX_IDLE = Duration.ofSeconds(1);
    private static final String SHORT_IDLE = "--asyncpatterns.outbound.max-idle-time=" + MAX_IDLE.toMillis() + "ms";

    private StartupWorkload() {
    }

    static void run(Context c) {
        int urls = c.sizes.w1Urls();
        String body = FanoutDriver.gatherBody(
                FanoutDriver.upstreamUrl(c.upstreamPort, FanoutWorkloads.UPSTREAM_DELAY_MS), urls, 0);
        // The service trains on its first requests, as the Dockerfile's training run does; the
        // control has no training run of its own and stops once its context has refreshed.
        ImageJdk jdk = ImageJdk.of(c.options.root().resolve("Dockerfile"));
        ImageStart image = ImageStart.build(c, jdk, c.options.jar(), "W10-service",
                "-Dasyncpatterns.training-run=true");
        Path controlJar = ControlApp.build(c);
        ImageStart controlImage = ImageStart.build(c, jdk, controlJar, "W10-control",
                "-Dspring.context.exit=onRefresh");
        List<Double> plain = new ArrayList<>();
        List<Double> imageStarts = new ArrayList<>();
        List<Double> controlPlain = new ArrayList<>();
        List<Double> controlImageStarts = new ArrayList<>();
        List<Double> firsts = new ArrayList<>();
        List<Double> warms = new ArrayList<>();
        List<Double> penalties = new ArrayList<>();
        List<Double> imagePenalties = new ArrayList<>();
        List<Double> reconnects = new ArrayList<>();
        List<Double> floorPenalties = new ArrayList<>();
        for (int rep = 1; rep <= c.options.heavyReps(); rep++) {
            Service service = Service.start(c, "W10-jar-" + rep, SHORT_IDLE);
            plain.add(service.startMillis());
            FirstCall jarCall = FirstCall.measure(c, service, "W10-warmup-" + rep, body, urls);
            service.stop();
            Log.info("W10 rep " + rep + ": java -jar ready in " + service.startMillis() + " ms; " + jarCall);
            firsts.add(jarCall.first());
            warms.add(jarCall.warm());
            penalties.add(jarCall.penalty());
            reconnects.add(jarCall.reconnectPenalty());
            floorPenalties.add(jarCall.floorPenalty());
            Service imageService = Service.start(c, "W10-image-" + rep, image.jar(), image.jvm(), null, SHORT_IDLE);
            FirstCall imageCall = FirstCall.measure(c, imageService, "W10-image-warmup-" + rep, body, urls);
            Log.info("W10 rep " + rep + ": the image's start ready in " + imageService.startMillis() + " ms; "
                    + imageCall);
            imageStarts.add(image.startMillis(imageService));
            imagePenalties.add(imageCall.penalty());
            reconnects.add(imageCall.reconnectPenalty());
            controlPlain.add(startMillis(
                    Service.startControl(c, "W10-control-jar-" + rep, controlJar, Jvm.Launch.plain())));
            controlImageStarts.add(controlImage.startMillis(
                    Service.startControl(c, "W10-control-image-" + rep, controlImage.jar(), controlImage.jvm())));
        }
        Report r = c.report;
        r.row("W10", "java -jar: launch to readiness UP (ms, polled every 10 ms)", plain, List.of(), "<= 4000 ms",
                Report.Check.medianAtMost(4000));
        r.row("W10", "as the Docker image starts it (JDK " + jdk.release()
                + ", extracted jar, ahead-of-time cache): launch to readiness UP (ms)",
                imageStarts, List.of(), "<= 4000 ms", Report.Check.medianAtMost(4000));
        r.row("W10", "control (bench/control: bare WebFlux, one controller), java -jar: launch to its first answer (ms)",
                controlPlain);
        r.row("W10", "control started as the Docker image starts the service (JDK " + jdk.release()
                + ", extracted jar, ahead-of-time cache) (ms)",
                controlImageStarts);
        r.row("W10", "first gather of " + urls + " URLs right after readiness (ms)", firsts);
        r.row("W10", "the same gather after W1's " + c.sizes.w1Warmup() + " warm-up rounds (ms, median of "
                + WARM_GATHERS + ")", warms);
        r.row("W10", "first gather minus warm gather (ms)", penalties, List.of(), "<= 100 ms",
                Report.Check.medianAtMost(100));
        r.row("W10", "the same, as the Docker image starts it: first gather minus warm gather (ms)", imagePenalties,
                List.of(), "<= 100 ms", Report.Check.medianAtMost(100));
        r.row("W10", "control: a warm service's gather on new connections (its pool emptied by a pause) minus its warm "
                + "gather (ms; both kinds of start)", reconnects);
        r.row("W10", "control: the bare client's (W1's floor) first " + urls + " calls in a fresh JVM minus its warm "
                + "batch (ms)", floorPenalties);
    }

    /** The start of a service or control this workload only starts: stopped at once. */
    private static double startMillis(Service service) {
        service.stop();
        return service.startMillis();
    }

    /**
     * The first gather a service answers after readiness, the median of {@link #WARM_GATHERS} more
     * after W1's warm-up rounds (the fan-out driver, whose bare client's own first and warm batches
     * are one control), and one more once the pool has closed its idle connections (the other
     * control: what a warm service pays to open the gather's connections), all against the same
     * upstream.
     */
    private record FirstCall(double first, double warm, double reconnect, double floorFirst, double floorWarm) {

        static FirstCall measure(Context c, Service service, String warmupName, String body, int urls) {
            double first = gather(service, body, urls); // the moment readiness said UP
            FanoutWorkloads.Times driver = FanoutWorkloads.measure(c, service, warmupName, urls, 0,
                    c.sizes.w1Warmup());
            List<Double> warm = new ArrayList<>();
            for (int i = 0; i < WARM_GATHERS; i++) {
                warm.add(gather(service, body, urls));
            }
            Pause.millis(MAX_IDLE.toMillis() + 500);
            double reconnect = gather(service, body, urls);
            return new FirstCall(first, Report.median(warm), reconnect, driver.firstFloor(),
                    Report.median(driver.floor()));
        }

        double penalty() {
            return Report.round(first - warm, 1);
        }

        double reconnectPenalty() {
            return Report.round(reconnect - warm, 1);
        }

        double floorPenalty() {
            return Report.round(floorFirst - floorWarm, 1);
        }

        @Override
        public String toString() {
            return "first gather " + first + " ms, warm " + warm + " ms, on new connections " + reconnect
                    + " ms; the bare client's first batch " + floorFirst
                    + " ms, warm " + floorWarm + " ms";
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
    }

    /**
     * The Docker image's start, rebuilt in the run folder once per jar as the Dockerfile builds it:
     * the jar extracted by Spring Boot's tools jar mode, and an ahead-of-time cache recorded by a
     * training run that exits by itself ({@code training}: how), both on the JDK the image runs on
     * ({@code jdk}) with the service's own JVM options; the start maps that cache.
     */
    private record ImageStart(Path jar, Jvm.Launch jvm) {

        /** The Dockerfile's options for both runs: Netty loads its epoll transport as a native library. */
        private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

        static ImageStart build(Context c, ImageJdk jdk, Path source, String name, String training) {
            // Under lib/, which run.sh deletes at exit: the extracted libraries and the cache are 160 MB.
            Path dir = c.options.runDir().resolve("lib/" + name + "-extracted");
            Path jar = dir.resolve("application.jar");
            Path cache = dir.resolve("application.aot");
            step(c, name + "-extract.out", List.of(Jvm.tool("java"), "-Djarmode=tools", "-jar", source.toString(),
                    "extract", "--destination", dir.toString(), "--application-filename", "application.jar"));
            List<String> trainingRun = new ArrayList<>(List.of(jdk.java(), Service.HEAP));
            trainingRun.addAll(Service.HEAP_SIZING);
            trainingRun.addAll(Jvm.words("SERVICE_JAVA_OPTS"));
            // Free ports: the service's training run serves (itself) on loopback.
            trainingRun.addAll(List.of(NATIVE_ACCESS, "-XX:AOTCacheOutput=" + cache, "-Xlog:aot=error,cds=error",
                    training, "-jar", jar.toString(), "--server.address=127.0.0.1", "--server.port=0",
                    "--asyncpatterns.tcp.port=0"));
            step(c, name + "-training.out", trainingRun);
            if (!Files.isRegularFile(cache)) {
                throw new BenchFailure("W10: the training run wrote no " + cache + " (see " + name + "-training.out)");
            }
            Log.info("W10: ahead-of-time cache of " + source.getFileName() + " built in "
                    + Machine.relative(c.options, dir) + " with " + jdk.java());
            return new ImageStart(jar, new Jvm.Launch(jdk.java(), List.of(NATIVE_ACCESS, "-XX:AOTCache=" + cache)));
        }

        /**
         * Stops {@code started} and answers its start; an error if the JVM said (under the [aot]
         * tag, by default to the log) that it could not map the cache: it starts anyway, only slower.
         */
        double startMillis(Service started) {
            double millis = StartupWorkload.startMillis(started);
            started.logLinesAfter(0).stream().filter(l -> l.contains("][aot]")).findFirst().ifPresent(l -> {
                throw new BenchFailure("W10: the ahead-of-time cache was not used: " + l);
            });
            return millis;
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
