import tools.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One server JVM: the jar under test (a "service"), or W3's control app, both started the same way
 * on 127.0.0.1 and a free port, and the probes the workloads run against it. Every call is bounded
 * in time; a service started with an {@link ApiKey} sends it on every call.
 */
final class Service {

    static final String HEAP = "-Xmx512m";
    /**
     * The heap sizing the service recommends (docs/operations.md, the Dockerfile): G1 gives memory
     * back after a collection once more than 20% of the heap is free, rather than 70%. Without it the
     * heap stays committed at its peak, and W4 measured 3 KiB of RSS per running job instead of 1.4.
     */
    static final List<String> HEAP_SIZING = List.of("-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20");
    /** Characters of an answer kept for failure messages. */
    private static final int SHOWN_BODY = 600;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** One answer: its status (0 when there was none) and the start of its body. */
    record Answer(int status, String body) {
        @Override
        public String toString() {
            return status + " " + body;
        }

        JsonNode json() {
            return Json.parse(body);
        }
    }

    final String name;
    final Process process;
    final int port;
    final Path log;
    private final ApiKey key;
    /** From launching the process until its readiness answered 200 (ms). */
    private double startMillis;

    private Service(String name, Process process, int port, Path log, ApiKey key) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        this.key = key;
    }

    /**
     * Starts the jar as it is measured. Unknown properties are ignored by Spring, so every
     * workload's settings can always be passed. Boot 4 reads the request-size cap from
     * spring.http.codecs.* (spring.codec.* is Boot 3's name and is ignored): W2's 10,000 URLs are
     * ~380 KB, over the 256 KB default. SERVICE_JAVA_OPTS and SERVICE_ARGS add JVM options and
     * application arguments for before-and-after experiments (the report's header shows both).
     */
    static Service start(Context context, String name, String... properties) {
        return start(context, name, null, properties);
    }

    /** As {@link #start(Context, String, String...)}, with access control on when {@code key} is given. */
    static Service start(Context context, String name, ApiKey key, String... properties) {
        return start(context, name, context.options.jar(), key, properties);
    }

    /** As {@link #start(Context, String, ApiKey, String...)}, from another build of the service (W3's baseline). */
    static Service start(Context context, String name, Path jar, ApiKey key, String... properties) {
        return start(context, name, jar, Jvm.Launch.plain(), key, properties);
    }

    /** As {@link #start(Context, String, Path, ApiKey, String...)}, launched as {@code jvm} says (W10's). */
    static Service start(Context context, String name, Path jar, Jvm.Launch jvm, ApiKey key,
                         String... properties) {
        List<String> arguments = new ArrayList<>(List.of("--asyncpatterns.tcp.port=0",
                "--asyncpatterns.outbound.allowed-hosts=127.0.0.1:" + context.upstreamPort,
                "--asyncpatterns.fanout.max-urls=" + context.sizes.w2Urls(),
                "--spring.http.codecs.max-in-memory-size=16MB", "--asyncpatterns.jobs.max-active=250000"));
        if (key != null) {
            arguments.addAll(key.properties());
        }
        arguments.addAll(List.of(properties));
        arguments.addAll(Jvm.words("SERVICE_ARGS"));
        return launch(context, name, jar, jvm, arguments, "/actuator/health/readiness", key);
    }

    /**
     * W3's control app (bench/control), on the service's JVM options and address: its readiness is
     * its first answer, since it has no actuator. SERVICE_ARGS are the service's settings, not its.
     */
    static Service startControl(Context context, Path jar) {
        return startControl(context, "control", jar, Jvm.Launch.plain());
    }

    /** As {@link #startControl(Context, Path)}, named (log service-NAME.log), launched as {@code jvm} says (W10's). */
    static Service startControl(Context context, String name, Path jar, Jvm.Launch jvm) {
        return launch(context, name, jar, jvm, List.of(), "/sim/status/200", null);
    }

    private static Service launch(Context context, String name, Path jar, Jvm.Launch jvm,
                                  List<String> arguments, String readyPath, ApiKey key) {
        RunOptions options = context.options;
        int port = Calls.freePortOrFail();
        Path log = options.runDir().resolve("service-" + name + ".log");
        List<String> line = new ArrayList<>(List.of(jvm.java(), HEAP));
        line.addAll(HEAP_SIZING);
        line.addAll(Jvm.words("SERVICE_JAVA_OPTS"));
        line.addAll(jvm.options());
        if (options.jfr()) {
            line.add("-XX:StartFlightRecording=filename=" + options.runDir().resolve("service-" + name + ".jfr")
                    + ",settings=profile,dumponexit=true");
        }
        line.addAll(List.of("-jar", jar.toString(), "--server.address=127.0.0.1", "--server.port=" + port));
        line.addAll(arguments);
        long launched = System.nanoTime();
        Service service = new Service(name, Children.start(line, log, Map.of()), port, log, key);
        service.awaitReady(readyPath, launched);
        return service;
    }

    /**
     * Generous: on a busy 2-core machine Spring Boot has been seen taking 30 s to start. Polled
     * every 10 ms, so that {@link #startMillis} (W10) is off by at most that.
     */
    private void awaitReady(String readyPath, long launched) {
        long deadline = launched + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (call("GET", readyPath, null, Duration.ofSeconds(2)).status() == 200) {
                startMillis = Report.round((System.nanoTime() - launched) / 1e6, 0);
                Log.info("service '" + name + "' ready on 127.0.0.1:" + port + " (pid " + process.pid() + ", " + HEAP
                        + ") " + startMillis + " ms after launch");
                return;
            }
            if (!process.isAlive()) {
                System.err.println(tail(40));
                throw new BenchFailure("the service '" + name + "' died while starting (log: " + log + ")");
            }
            Pause.millis(10);
        }
        System.err.println(tail(40));
        throw new BenchFailure("the service '" + name + "' was not ready within 180 s (log: " + log + ")");
    }

    double startMillis() {
        return startMillis;
    }

    void stop() {
        Children.stop(process, 60);
    }

    Answer call(String method, String path, String body) {
        return call(method, path, body, Duration.ofSeconds(30));
    }

    private Answer call(String method, String path, String body, Duration timeout) {
        return send(port, method, path, body, timeout, key, SHOWN_BODY);
    }

    /** As {@link #call(String, String, String)}, the whole body kept (a gather's answer is checked by its counts). */
    Answer callWhole(String method, String path, String body) {
        return send(port, method, path, body, Duration.ofSeconds(90), key, Integer.MAX_VALUE);
    }

    /** An anonymous call. */
    static Answer send(int port, String method, String path, String body, Duration timeout) {
        return send(port, method, path, body, timeout, null, SHOWN_BODY);
    }

    /** Answers go into failure messages: {@code maxBody} keeps them readable (the metrics page is read whole). */
    private static Answer send(int port, String method, String path, String body, Duration timeout, ApiKey key,
                               int maxBody) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            builder.header(ApiKey.HEADER, key.key());
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            return new Answer(response.statusCode(), text.length() > maxBody ? text.substring(0, maxBody) : text);
        } catch (IOException e) {
            return new Answer(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }

    /** Fails the workload, naming the endpoint, on any status but {@code want}. */
    Answer expect(int want, String method, String path, String body) {
        Answer answer = call(method, path, body);
        if (answer.status() != want) {
            String hint = answer.status() == 404
                    ? " -- is this endpoint in the jar? (docs/api.md; pass --jar with a jar that has it)" : "";
            throw new BenchFailure(method + " " + path + " answered " + answer.status() + " (expected " + want + "): "
                    + answer.body() + hint);
        }
        return answer;
    }

    /** Waits until no job is PENDING or RUNNING. */
    void awaitNoActiveJobs(int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            boolean busy = false;
            for (String state : List.of("PENDING", "RUNNING")) {
                Answer answer = call("GET", "/api/jobs?state=" + state + "&limit=1", null);
                if (answer.status() != 200) {
                    throw new BenchFailure("GET /api/jobs?state=" + state + " answered " + answer);
                }
                busy |= answer.json().path("jobs").size() > 0;
            }
            if (!busy) {
                return;
            }
            Pause.millis(500);
        }
        throw new BenchFailure("jobs were still active after " + seconds + " s");
    }

    /** The registry's gauge of non-terminal jobs, {@code asyncpatterns.jobs.active}. */
    long activeJobs() {
        return (long) metric("asyncpatterns.jobs.active");
    }

    /** A meter's first measurement (a gauge's value, a counter's count) from /actuator/metrics, tags as {@code ?tag=name:value}. */
    double metric(String nameAndTags) {
        return metric(nameAndTags, null);
    }

    /** As {@link #metric(String)}, the measurement of one {@code statistic} (say a timer's MAX). */
    double metric(String nameAndTags, String statistic) {
        Answer answer = call("GET", "/actuator/metrics/" + nameAndTags, null);
        if (answer.status() != 200) {
            throw new BenchFailure("GET /actuator/metrics/" + nameAndTags + " answered " + answer);
        }
        for (JsonNode measurement : answer.json().path("measurements")) {
            if (statistic == null || statistic.equals(measurement.path("statistic").asString())) {
                return measurement.path("value").asDouble();
            }
        }
        throw new BenchFailure("/actuator/metrics/" + nameAndTags + " has no " + statistic + " measurement: " + answer);
    }

    /**
     * A timer's cumulative bucket counts from /actuator/prometheus, by upper bound in seconds
     * ({@code +Inf} is {@link Double#POSITIVE_INFINITY}), summed over its tag sets.
     */
    TreeMap<Double, Double> histogram(String prometheusName) {
        Answer answer = send(port, "GET", "/actuator/prometheus", null, Duration.ofSeconds(30), key, Integer.MAX_VALUE);
        if (answer.status() != 200) {
            throw new BenchFailure("GET /actuator/prometheus answered " + answer.status());
        }
        TreeMap<Double, Double> buckets = new TreeMap<>();
        String prefix = prometheusName + "_bucket{";
        answer.body().lines().filter(line -> line.startsWith(prefix)).forEach(line -> {
            int le = line.indexOf("le=\"") + 4;
            String bound = line.substring(le, line.indexOf('"', le));
            double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
            buckets.merge(upper, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
        });
        if (buckets.isEmpty()) {
            throw new BenchFailure("no " + prefix + "...} lines in /actuator/prometheus: is its histogram published?");
        }
        return buckets;
    }

    /** Used heap (survivors + eden + old, from jstat) after two full GCs, in MiB to 0.1. */
    double heapAfterGcMib() {
        for (int i = 0; i < 2; i++) {
            if (!Children.run(List.of(Jvm.tool("jcmd"), Long.toString(process.pid()), "GC.run"), Duration.ofSeconds(120)).ok()) {
                throw new BenchFailure("jcmd GC.run failed for pid " + process.pid());
            }
        }
        Children.Output gc = Children.run(List.of(Jvm.tool("jstat"), "-gc", Long.toString(process.pid())), Duration.ofSeconds(30));
        String[] lines = gc.text().split("\n");
        if (!gc.ok() || lines.length < 2) {
            throw new BenchFailure("jstat -gc failed for pid " + process.pid() + ": " + gc.text());
        }
        List<String> names = List.of(lines[0].trim().split("\\s+"));
        String[] values = lines[1].trim().split("\\s+");
        double kib = 0;
        for (String column : List.of("S0U", "S1U", "EU", "OU")) {
            kib += Double.parseDouble(values[names.indexOf(column)]);
        }
        return Report.round(kib / 1024, 1);
    }

    int threadCount() {
        return (int) statusNumber("Threads:");
    }

    /** Resident set size (VmRSS) in MiB to 0.1: heap, metaspace, code, stacks and direct buffers. */
    double rssMib() {
        return Report.round(statusNumber("VmRSS:") / 1024.0, 1);
    }

    /** The number after {@code field} in /proc/PID/status (RSS in kB, threads as a count). */
    private long statusNumber(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            throw new BenchFailure("cannot read " + field + " of pid " + process.pid() + ": " + e.getMessage());
        }
        throw new BenchFailure("no " + field + " for pid " + process.pid());
    }

    long logLines() {
        try (var lines = Files.lines(log)) {
            return lines.count();
        } catch (IOException e) {
            throw new BenchFailure("cannot read " + log + ": " + e.getMessage());
        }
    }

    List<String> logLinesAfter(long skip) {
        try (var lines = Files.lines(log)) {
            return lines.skip(skip).toList();
        } catch (IOException e) {
            throw new BenchFailure("cannot read " + log + ": " + e.getMessage());
        }
    }

    String tail(int n) {
        List<String> all = logLinesAfter(0);
        return String.join("\n", all.subList(Math.max(0, all.size() - n), all.size()));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (pid %d, port %d)", name, process.pid(), port);
    }
}
