import io.netty.channel.ChannelOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** W1 and W2's client side: the floor (a bare HttpClient) against one gather of the same calls. */
final class FanoutDriver {

    private FanoutDriver() {
    }

    static void floorOnly(Options o) {
        int n = o.intValue("n", 1000);
        int concurrency = Calls.effectiveConcurrency(o.intValue("concurrency", 0), n);
        String url = upstreamUrl(o.intValue("upstream-port", -1), o.longValue("delay-ms", 50));
        HttpClient client = floorClient(concurrency);
        List<Double> times = new ArrayList<>();
        for (int rep = 0; rep < o.intValue("reps", 3); rep++) {
            double ms = floorBatch(client, url, n, concurrency);
            times.add(ms);
            System.out.printf(Locale.ROOT, "REP %d floor_ms=%.1f%n", rep + 1, ms);
        }
        Calls.result("floor_ms", times);
    }

    static void fanout(Options o) {
        int n = o.intValue("n", 1000);
        int requested = o.intValue("concurrency", 0);
        int concurrency = Calls.effectiveConcurrency(requested, n);
        int servicePort = o.intValue("service-port", -1);
        String url = upstreamUrl(o.intValue("upstream-port", -1), o.longValue("delay-ms", 50));
        byte[] body = gatherBody(url, n, requested).getBytes(StandardCharsets.UTF_8);
        HttpClient floor = floorClient(concurrency);
        HttpClient driver = Calls.jsonClient(ConnectionProvider.create("driver", 4));
        String gatherUrl = "http://" + Calls.LOOPBACK + ":" + servicePort + "/api/fanout/gather";
        int warmup = o.intValue("warmup", 3);
        int reps = o.intValue("reps", 5);
        List<Double> floorTimes = new ArrayList<>();
        List<Double> serviceTimes = new ArrayList<>();
        double firstFloorMs = 0;
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
            if (round == 0) {
                firstFloorMs = floorMs;
            }
            boolean measured = round >= warmup;
            System.out.printf(Locale.ROOT, "%s %d floor_ms=%.1f service_ms=%.1f%n",
                    measured ? "REP" : "WARMUP", measured ? round - warmup + 1 : round + 1, floorMs, serviceMs);
            if (measured) {
                floorTimes.add(floorMs);
                serviceTimes.add(serviceMs);
            }
        }
        Calls.result("floor_ms", floorTimes);
        Calls.result("service_ms", serviceTimes);
        // W10's control: round 0 goes to the floor first, so this is a fresh JVM's first batch on new connections.
        Calls.result("first_floor_ms", List.of(firstFloorMs));
    }

    private static HttpClient floorClient(int concurrency) {
        // Sized to the concurrency so the floor never queues for a connection: it is what the
        // calls cost with nothing in the way, which is what the service is compared with.
        ConnectionProvider pool = ConnectionProvider.builder("floor")
                .maxConnections(concurrency)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(Calls.RESPONSE_TIMEOUT)
                .build();
        return HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .responseTimeout(Calls.RESPONSE_TIMEOUT);
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
        double ms = Calls.millisSince(start);
        if (ok == null || ok != n) {
            throw new BenchFailure("floor: " + ok + " of " + n + " calls completed");
        }
        return ms;
    }

    private static double gather(HttpClient driver, String gatherUrl, byte[] body, int n) {
        long start = System.nanoTime();
        Calls.Reply reply = Calls.post(driver, gatherUrl, body).block(Calls.RESPONSE_TIMEOUT.plusSeconds(5));
        double ms = Calls.millisSince(start);
        if (reply == null || reply.status() != 200) {
            throw new BenchFailure("POST /api/fanout/gather answered " + Calls.describe(reply)
                    + Calls.hint(reply, "the fan-out endpoint (docs/api.md)"));
        }
        checkGathered(reply.body(), n);
        return ms;
    }

    /** Every one of the n calls of a gather must have succeeded (W1, W2, W10). */
    static void checkGathered(String answer, int n) {
        long succeeded = Calls.intField(answer, "succeeded");
        long failed = Calls.intField(answer, "failed");
        if (succeeded != n || failed != 0) {
            throw new BenchFailure("POST /api/fanout/gather: succeeded=" + succeeded + " failed=" + failed
                    + ", expected " + n + " and 0: " + Calls.abbreviate(answer));
        }
    }

    static String gatherBody(String url, int n, int concurrency) {
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

    static String upstreamUrl(int port, long delayMs) {
        if (port <= 0) {
            Options.usage("--upstream-port is required");
        }
        return "http://" + Calls.LOOPBACK + ":" + port + "/delay/" + delayMs;
    }

    /** Generous: n calls in n/concurrency waves, each well under a minute. */
    private static Duration timeoutFor(int n, int concurrency) {
        return Calls.RESPONSE_TIMEOUT.multipliedBy(Math.min(10, 1 + n / concurrency));
    }
}
