import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Job submission for W4-W8: N posts at bounded concurrency, optionally paced, failing fast. With
 * {@code --run-at-from EPOCH_MS --run-at-spread-ms MS}, job i's body gets {@value #RUN_AT} replaced by
 * the instant {@code from + i * spread / n}: due times spread evenly, whatever the submit speed (W8).
 */
final class Submitter {

    static final String RUN_AT = "@RUN_AT@";

    private Submitter() {
    }

    static void submit(Options o) {
        int n = o.intValue("n", 1000);
        int concurrency = Calls.effectiveConcurrency(o.intValue("concurrency", 64), n);
        int rate = o.intValue("rate", 0);
        int expect = o.intValue("expect", 202);
        String body = o.required("body");
        Duration timeout = Duration.ofSeconds(o.longValue("timeout-s", 600));
        String base = "http://" + Calls.LOOPBACK + ":" + o.intValue("service-port", -1);
        // --path and --warm-path point it elsewhere: W9's control loads the callback receiver directly.
        String url = base + o.values().getOrDefault("path", "/api/jobs");
        HttpClient client = Calls.jsonClient(ConnectionProvider.builder("submit")
                .maxConnections(concurrency).pendingAcquireMaxCount(-1).build());
        IntFunction<byte[]> bodyOf = bodies(body, n, o.longValue("run-at-from", -1), o.longValue("run-at-spread-ms", 0));
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        // Each slot written once by its own request; read after the flux has completed.
        long[] latencies = new long[n];
        AtomicReference<Calls.Reply> firstUnexpected = new AtomicReference<>();
        warm(client, base + o.values().getOrDefault("warm-path", "/actuator/health/readiness"), concurrency);
        long start = System.nanoTime();
        try {
            Long done = paced(n, rate)
                    .flatMap(i -> Mono.defer(() -> {
                        long sent = System.nanoTime();
                        return Calls.post(client, url, bodyOf.apply(i))
                                .doOnNext(reply -> latencies[i] = System.nanoTime() - sent);
                    }).doOnNext(reply -> {
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
            Calls.Reply reply = firstUnexpected.get();
            if (reply == null) {
                throw e;
            }
            throw new BenchFailure("POST " + url + " " + body + " answered " + Calls.describe(reply) + " (expected "
                    + expect + "; statuses so far " + new TreeMap<>(statuses) + ")"
                    + Calls.hint(reply, "the jobs endpoint (docs/api.md)"));
        } catch (IllegalStateException e) {
            throw new BenchFailure("submit: not done within " + timeout.toSeconds() + " s; statuses so far "
                    + new TreeMap<>(statuses));
        }
        double ms = Calls.millisSince(start);
        System.out.printf(Locale.ROOT, "RESULT submitted %d%nRESULT submit_ms %.1f%nRESULT submit_rate %.1f%n"
                + "RESULT p99_ms %.1f%n", n, ms, n * 1000.0 / ms, p99Millis(latencies));
    }

    /**
     * Opens the pool's connections and loads the client's classes with harmless GETs, so that
     * neither is timed as part of the first POSTs.
     */
    private static void warm(HttpClient client, String url, int concurrency) {
        Flux.range(0, concurrency * 4)
                .flatMap(i -> client.get().uri(url).responseSingle((res, body) -> body.asString().defaultIfEmpty("")), concurrency)
                .then()
                .block(Duration.ofSeconds(60));
    }

    /**
     * The p99 of the POSTs after the first tenth: those pay for this JVM's own start (class
     * loading, connections, C1) and would make the figure the submitter's rather than the service's.
     */
    private static double p99Millis(long[] latencies) {
        long[] settled = Arrays.copyOfRange(latencies, latencies.length / 10, latencies.length);
        Arrays.sort(settled);
        return settled[(int) Math.max(0, Math.ceil(settled.length * 0.99) - 1)] / 1e6;
    }

    private static IntFunction<byte[]> bodies(String body, int n, long runAtFrom, long spreadMs) {
        if (runAtFrom < 0) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            return i -> bytes;
        }
        if (!body.contains(RUN_AT)) {
            throw new BenchFailure("--run-at-from needs " + RUN_AT + " in the body: " + body);
        }
        return i -> body.replace(RUN_AT, Instant.ofEpochMilli(runAtFrom + i * spreadMs / n).toString())
                .getBytes(StandardCharsets.UTF_8);
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
}
