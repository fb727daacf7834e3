import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * The Java side of {@code bench/run.sh}: the upstream, the floor client and the load drivers.
 *
 * <p>One file, compiled by run.sh against the libraries inside the service's own jar, so the
 * benchmark needs nothing the service does not already ship. Everything binds to and calls
 * 127.0.0.1 only; every loop is bounded by a count and every wait by a timeout.
 *
 * <p>Commands (options are {@code --name value}):
 * <ul>
 *   <li>{@code upstream --port-file F [--port 0] [--max-seconds 14400]}: answers
 *       {@code GET /delay/{ms}} after ms with {@code {"delayMs":ms}}; runs until killed or
 *       max-seconds.</li>
 *   <li>{@code floor --upstream-port P --n N --delay-ms D [--concurrency C] [--reps R]}: the floor
 *       alone (a bare Reactor Netty HttpClient making N calls), to check the upstream.</li>
 *   <li>{@code fanout --upstream-port P --service-port S --n N --delay-ms D [--concurrency C]
 *       [--warmup W] [--reps R] [--max-urls-body 0]}: alternates the floor and one
 *       {@code POST /api/fanout/gather} of the same N URLs, R times after W warm-up rounds.</li>
 *   <li>{@code submit --service-port S --body JSON --n N [--concurrency C] [--rate R]
 *       [--expect 202] [--timeout-s T]}: posts N jobs to {@code /api/jobs} at bounded
 *       concurrency, paced at R per second when R &gt; 0; fails at the first unexpected status.</li>
 *   <li>{@code freeport}: prints a free loopback TCP port.</li>
 * </ul>
 * Results are printed as {@code RESULT name value...} lines for run.sh to collect; errors go to
 * stderr as {@code bench: ...} with exit status 1 (2 for usage errors).
 */
public final class Bench {

    private static final String LOOPBACK = "127.0.0.1";
    /** The upstream refuses longer delays, so a typo cannot park connections for hours. */
    private static final long MAX_DELAY_MS = 600_000;
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    private Bench() {
    }

    public static void main(String[] argv) {
        Map<String, String> opts = new HashMap<>();
        String command = argv.length > 0 ? argv[0] : "";
        for (int i = 1; i < argv.length; i += 2) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                usage("expected --name value pairs, got '" + argv[i] + "'");
            }
            opts.put(argv[i].substring(2), argv[i + 1]);
        }
        Options o = new Options(opts);
        try {
            switch (command) {
                case "upstream" -> upstream(o);
                case "floor" -> floorOnly(o);
                case "fanout" -> fanout(o);
                case "submit" -> submit(o);
                case "freeport" -> System.out.println(freePort());
                default -> usage("unknown command '" + command + "'");
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

    // ---------------------------------------------------------------- upstream

    private static void upstream(Options o) throws IOException {
        Path portFile = Path.of(o.required("port-file"));
        long maxSeconds = o.longValue("max-seconds", 4 * 3600);
        DisposableServer server = HttpServer.create()
                .host(LOOPBACK)
                .port(o.intValue("port", 0))
                // 10,000 clients connecting at once must queue in the backlog, not be refused.
                .option(ChannelOption.SO_BACKLOG, 16_384)
                .route(routes -> routes.get("/delay/{ms}", (req, res) -> {
                    long ms = parseLong(req.param("ms"), -1);
                    if (ms < 0 || ms > MAX_DELAY_MS) {
                        return res.status(400).sendString(Mono.just("ms must be 0.." + MAX_DELAY_MS)).then();
                    }
                    String body = "{\"delayMs\":" + ms + "}";
                    // The timer fires on Reactor's parallel scheduler and the write hops back to the
                    // connection's event loop: no thread is held while waiting.
                    return Mono.delay(Duration.ofMillis(ms))
                            .then(Mono.defer(() -> res.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                                    .sendString(Mono.just(body)).then()));
                }))
                .bindNow(Duration.ofSeconds(10));
        Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(tmp, Integer.toString(server.port()));
        Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("upstream listening on " + LOOPBACK + ":" + server.port());
        try {
            server.onDispose().block(Duration.ofSeconds(maxSeconds));
        } catch (IllegalStateException timeout) {
            System.out.println("upstream: max lifetime of " + maxSeconds + " s reached, stopping");
            server.disposeNow(Duration.ofSeconds(5));
        }
    }

    // ---------------------------------------------------------------- floor and gather

    private static void floorOnly(Options o) {
        int n = o.intValue("n", 1000);
        int concurrency = effectiveConcurrency(o.intValue("concurrency", 0), n);
        String url = upstreamUrl(o.intValue("upstream-port", -1), o.longValue("delay-ms", 50));
        HttpClient client = floorClient(concurrency);
        List<Double> times = new ArrayList<>();
        for (int rep = 0; rep < o.intValue("reps", 3); rep++) {
            double ms = floorBatch(client, url, n, concurrency);
            times.add(ms);
            System.out.printf(Locale.ROOT, "REP %d floor_ms=%.1f%n", rep + 1, ms);
        }
        result("floor_ms", times);
    }

    private static void fanout(Options o) {
        int n = o.intValue("n", 1000);
        int requested = o.intValue("concurrency", 0);
        int concurrency = effectiveConcurrency(requested, n);
        int servicePort = o.intValue("service-port", -1);
        String url = upstreamUrl(o.intValue("upstream-port", -1), o.longValue("delay-ms", 50));
        byte[] body = gatherBody(url, n, requested).getBytes(StandardCharsets.UTF_8);
        HttpClient floor = floorClient(concurrency);
        HttpClient driver = jsonClient(ConnectionProvider.create("driver", 4));
        String gatherUrl = "http://" + LOOPBACK + ":" + servicePort + "/api/fanout/gather";
        int warmup = o.intValue("warmup", 3);
        int reps = o.intValue("reps", 5);
        List<Double> floorTimes = new ArrayList<>();
        List<Double> serviceTimes = new ArrayList<>();
        for (int round = 0; round < warmup + reps; round++) {
            // Alternate who goes first so slow drift (JIT, GC, a noisy neighbour) hits both alike.
            double floorMs;
            double serviceMs;
            if (round % 2 == 0) {
                floorMs = floorBatch(floor, url, n, concurrency);
                serviceMs = gather(driver, gatherUrl, body, n);
            } else {
                serviceMs = gather(driver, gatherUrl, body, n);
                floorMs = floorBatch(floor, url, n, concurrency);
            }
            boolean measured = round >= warmup;
            System.out.printf(Locale.ROOT, "%s %d floor_ms=%.1f service_ms=%.1f%n",
                    measured ? "REP" : "WARMUP", measured ? round - warmup + 1 : round + 1, floorMs, serviceMs);
            if (measured) {
                floorTimes.add(floorMs);
                serviceTimes.add(serviceMs);
            }
        }
        result("floor_ms", floorTimes);
        result("service_ms", serviceTimes);
    }

    private static HttpClient floorClient(int concurrency) {
        // Sized to the concurrency so the floor never queues for a connection: it is what the
        // calls cost with nothing in the way, which is what the service is compared with.
        ConnectionProvider pool = ConnectionProvider.builder("floor")
                .maxConnections(concurrency)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(RESPONSE_TIMEOUT)
                .build();
        return HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .responseTimeout(RESPONSE_TIMEOUT);
    }

    private static double floorBatch(HttpClient client, String url, int n, int concurrency) {
        long start = System.nanoTime();
        Long ok = Flux.range(0, n)
                .flatMap(i -> client.get().uri(url).responseSingle((res, content) -> content.asString()
                        .defaultIfEmpty("")
                        .map(text -> {
                            if (res.status().code() != 200) {
                                throw new BenchFailure("floor: GET " + url + " answered " + res.status() + ": " + text);
                            }
                            return text.length();
                        })), concurrency)
                .count()
                .block(timeoutFor(n, concurrency));
        double ms = millisSince(start);
        if (ok == null || ok != n) {
            throw new BenchFailure("floor: " + ok + " of " + n + " calls completed");
        }
        return ms;
    }

    private static double gather(HttpClient driver, String gatherUrl, byte[] body, int n) {
        long start = System.nanoTime();
        Reply reply = post(driver, gatherUrl, body).block(RESPONSE_TIMEOUT.plusSeconds(5));
        double ms = millisSince(start);
        if (reply == null || reply.status() != 200) {
            throw new BenchFailure("POST /api/fanout/gather answered " + describe(reply)
                    + hint(reply, "the fan-out endpoint (API.md section 2)"));
        }
        long succeeded = intField(reply.body(), "succeeded");
        long failed = intField(reply.body(), "failed");
        if (succeeded != n || failed != 0) {
            throw new BenchFailure("POST /api/fanout/gather: succeeded=" + succeeded + " failed=" + failed
                    + ", expected " + n + " and 0: " + abbreviate(reply.body()));
        }
        return ms;
    }

    private static String gatherBody(String url, int n, int concurrency) {
        StringBuilder json = new StringBuilder(n * (url.length() + 3) + 64).append("{\"urls\":[");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "\"" : ",\"").append(url).append('"');
        }
        json.append(']');
        if (concurrency > 0) {
            json.append(",\"concurrency\":").append(concurrency);
        }
        return json.append('}').toString();
    }

    // ---------------------------------------------------------------- job submitter

    private static void submit(Options o) {
        int n = o.intValue("n", 1000);
        int concurrency = effectiveConcurrency(o.intValue("concurrency", 64), n);
        int rate = o.intValue("rate", 0);
        int expect = o.intValue("expect", 202);
        String body = o.required("body");
        Duration timeout = Duration.ofSeconds(o.longValue("timeout-s", 600));
        String url = "http://" + LOOPBACK + ":" + o.intValue("service-port", -1) + "/api/jobs";
        HttpClient client = jsonClient(ConnectionProvider.builder("submit")
                .maxConnections(concurrency).pendingAcquireMaxCount(-1).build());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        AtomicReference<Reply> firstUnexpected = new AtomicReference<>();
        long start = System.nanoTime();
        try {
            Long done = paced(n, rate)
                    .flatMap(i -> post(client, url, bytes).doOnNext(reply -> {
                        statuses.computeIfAbsent(reply.status(), s -> new LongAdder()).increment();
                        if (reply.status() != expect) {
                            firstUnexpected.compareAndSet(null, reply);
                            // Fail fast: a missing endpoint or a full registry will not get better.
                            throw new BenchFailure("unexpected status");
                        }
                    }), concurrency)
                    .count()
                    .block(timeout);
            if (done == null || done != n) {
                throw new BenchFailure("submit: only " + done + " of " + n + " answered");
            }
        } catch (BenchFailure e) {
            Reply reply = firstUnexpected.get();
            if (reply == null) {
                throw e;
            }
            throw new BenchFailure("POST /api/jobs " + body + " answered " + describe(reply) + " (expected "
                    + expect + "; statuses so far " + new TreeMap<>(statuses) + ")"
                    + hint(reply, "the jobs endpoint (API.md section 1)"));
        } catch (IllegalStateException e) {
            throw new BenchFailure("submit: not done within " + timeout.toSeconds() + " s; statuses so far "
                    + new TreeMap<>(statuses));
        }
        double ms = millisSince(start);
        System.out.printf(Locale.ROOT, "RESULT submitted %d%nRESULT submit_ms %.1f%nRESULT submit_rate %.1f%n",
                n, ms, n * 1000.0 / ms);
    }

    /** 0..n-1, released in 10 ms slices at {@code ratePerSecond}, or all at once when it is 0. */
    private static Flux<Integer> paced(int n, int ratePerSecond) {
        if (ratePerSecond <= 0) {
            return Flux.range(0, n);
        }
        int perTick = Math.max(1, ratePerSecond / 100);
        long ticks = (n + perTick - 1) / perTick;
        return Flux.interval(Duration.ZERO, Duration.ofMillis(10))
                .take(ticks)
                // A service slower than the rate backs the ticks up here (bounded by the tick
                // count) rather than failing; the achieved rate is then what gets reported.
                .onBackpressureBuffer((int) Math.min(Integer.MAX_VALUE, ticks))
                .concatMap(t -> Flux.range((int) (t * perTick), (int) Math.min(perTick, n - t * perTick)));
    }

    // ---------------------------------------------------------------- helpers

    private record Reply(int status, String body) {
    }

    /** A client that sends JSON; configured once, because each {@code headers(...)} call copies it. */
    private static HttpClient jsonClient(ConnectionProvider pool) {
        return HttpClient.create(pool)
                .headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .responseTimeout(RESPONSE_TIMEOUT);
    }

    private static Mono<Reply> post(HttpClient client, String url, byte[] body) {
        // A Mono body goes out with a Content-Length (a Flux would be chunked).
        return client.post()
                .uri(url)
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                .responseSingle((res, content) -> content.asString().defaultIfEmpty("")
                        .map(text -> new Reply(res.status().code(), text)))
                .onErrorMap(e -> !(e instanceof BenchFailure),
                        e -> new BenchFailure("POST " + url + " failed: " + e));
    }

    private static String hint(Reply reply, String feature) {
        return reply != null && reply.status() == 404
                ? " -- does this jar have " + feature + "? Pass a jar built from a branch that has it with --jar."
                : "";
    }

    private static String describe(Reply reply) {
        return reply == null ? "nothing" : reply.status() + " " + abbreviate(reply.body());
    }

    private static String abbreviate(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400) + "...(" + text.length() + " chars)";
    }

    private static long intField(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String upstreamUrl(int port, long delayMs) {
        if (port <= 0) {
            usage("--upstream-port is required");
        }
        return "http://" + LOOPBACK + ":" + port + "/delay/" + delayMs;
    }

    private static int effectiveConcurrency(int requested, int n) {
        return requested <= 0 ? Math.max(1, n) : Math.min(requested, Math.max(1, n));
    }

    /** Generous: n calls in n/concurrency waves, each well under a minute. */
    private static Duration timeoutFor(int n, int concurrency) {
        return RESPONSE_TIMEOUT.multipliedBy(Math.min(10, 1 + n / concurrency));
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private static void result(String name, List<Double> values) {
        StringBuilder line = new StringBuilder("RESULT ").append(name);
        values.forEach(v -> line.append(String.format(Locale.ROOT, " %.1f", v)));
        System.out.println(line);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }

    private static long parseLong(String text, long fallback) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static void usage(String problem) {
        System.err.println("bench: " + problem + "\nusage: see the Javadoc of bench/src/Bench.java");
        System.exit(2);
    }

    /** A workload error with a message meant for the person running the benchmark. */
    private static final class BenchFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BenchFailure(String message) {
            super(message, null, false, false);
        }
    }

    private record Options(Map<String, String> values) {
        String required(String name) {
            String value = values.get(name);
            if (value == null) {
                usage("--" + name + " is required");
            }
            return value;
        }

        int intValue(String name, int fallback) {
            return (int) longValue(name, fallback);
        }

        long longValue(String name, long fallback) {
            String value = values.get(name);
            if (value == null) {
                return fallback;
            }
            long parsed = parseLong(value, Long.MIN_VALUE);
            if (parsed == Long.MIN_VALUE) {
                usage("--" + name + " must be a number, got '" + value + "'");
            }
            return parsed;
        }
    }
}
