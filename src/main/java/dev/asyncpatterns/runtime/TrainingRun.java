package dev.asyncpatterns.runtime;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * The training run of the Docker image's ahead-of-time cache
 * ({@code asyncpatterns.training-run=true}; see the Dockerfile). Once its readiness is UP, the service
 * sends itself the requests a new instance is sent first (its readiness probe, a job, a gather,
 * the simulated upstream), a few rounds each, and then exits. The JVM records in the cache the
 * classes those requests load, linked, and the profiles of the methods they run, so an instance
 * started from the cache answers its first requests without loading them. Spring Boot's own
 * training run ({@code spring.context.exit=onRefresh}) stops before the server has answered
 * anything: starting from that cache, readiness came about 0.3 s later on the benchmark machine
 * (median of 8 alternated starts each; bench/README.md, W10's tenth round).
 */
@Component
@ConditionalOnBooleanProperty("asyncpatterns.training-run")
class TrainingRun implements ApplicationListener<ApplicationReadyEvent> {

    private static final Log log = LogFactory.getLog(TrainingRun.class);
    /** Enough for the JIT to see each request's methods run, few enough to keep the image build short. */
    static final int ROUNDS = 20;
    /** URLs per gather, each to this instance's simulated upstream. */
    private static final int GATHER_URLS = 50;
    private static final Duration PER_REQUEST = Duration.ofSeconds(30);
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    private static final Request READINESS = new Request(HttpMethod.GET, "/actuator/health/readiness", null, 200);

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        // On a thread of its own: readiness turns UP only after this event's listeners have returned.
        WebServerApplicationContext context = (WebServerApplicationContext) event.getApplicationContext();
        new Thread(() -> trainAndExit(context), "training-run").start();
    }

    private static void trainAndExit(WebServerApplicationContext context) {
        String base = "http://" + loopbackOr(context.getEnvironment().getProperty("server.address")) + ":"
                + context.getWebServer().getPort();
        int exitCode = 0;
        try {
            train(base);
            log.info("Training run done: " + ROUNDS + " rounds of its first requests sent to " + base + "; exiting");
        }
        catch (RuntimeException ex) {
            // The image build must fail rather than ship a cache that trained nothing.
            log.error("Training run failed against " + base, ex);
            exitCode = 1;
        }
        int code = exitCode;
        System.exit(SpringApplication.exit(context, () -> code));
    }

    /** Sends {@code base} (this instance) {@link #ROUNDS} rounds of its first requests; fails on any other answer. */
    static void train(String base) {
        HttpClient client = HttpClient.create().baseUrl(base).headers(h -> h.set("Content-Type", "application/json"));
        String gather = IntStream.range(0, GATHER_URLS)
                .mapToObj(i -> "\"" + base + "/sim/delay/0\"")
                .collect(Collectors.joining(",", "{\"urls\":[", "]}"));
        List<Request> requests = List.of(
                READINESS,
                new Request(HttpMethod.GET, "/sim/status/200", null, 200),
                new Request(HttpMethod.POST, "/api/jobs", "{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}", 202),
                new Request(HttpMethod.POST, "/api/fanout/gather", gather, 200));
        awaitReady(client);
        for (int round = 0; round < ROUNDS; round++) {
            for (Request request : requests) {
                request.send(client);
            }
        }
    }

    /** Readiness answers 503 until the context has published that it accepts traffic; anything else is an error. */
    private static void awaitReady(HttpClient client) {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        int status = READINESS.status(client);
        while (status == 503 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            status = READINESS.status(client);
        }
        READINESS.check(status);
    }

    /** The server's own address as a URL's host; loopback when it listens on every address or none was set. */
    private static String loopbackOr(String address) {
        try {
            InetAddress listening = address == null ? null : InetAddress.getByName(address);
            if (listening == null || listening.isAnyLocalAddress()) {
                return "127.0.0.1";
            }
            String host = listening.getHostAddress();
            return listening instanceof Inet6Address ? "[" + host + "]" : host;
        }
        catch (UnknownHostException ex) {
            return "127.0.0.1";
        }
    }

    private record Request(HttpMethod method, String path, String body, int expected) {

        void send(HttpClient client) {
            check(status(client));
        }

        void check(int status) {
            if (status != expected) {
                throw new IllegalStateException(method + " " + path + " answered " + status + ", not " + expected);
            }
        }

        int status(HttpClient client) {
            Integer status = client.request(method)
                    .uri(path)
                    .send(body == null ? Mono.empty() : ByteBufFlux.fromString(Mono.just(body)))
                    .responseSingle((response, content) -> content.asString().defaultIfEmpty("")
                            .map(read -> response.status().code()))
                    .block(PER_REQUEST);
            return status == null ? 0 : status;
        }
    }
}
