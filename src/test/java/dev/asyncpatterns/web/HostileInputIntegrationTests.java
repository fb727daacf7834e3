package dev.asyncpatterns.web;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.asyncpatterns.testsupport.RawHttp;
import dev.asyncpatterns.testsupport.RawHttp.Answer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP edge against a hostile or careless client: seeded random mutations of valid requests to
 * every endpoint, then broken framing. Every answer comes within a bound, no answer is a 5xx the
 * service did not mean (a 502/504 of an upstream call is meant), every error the application
 * writes is problem JSON whose {@code status} is the HTTP status, and the thread count settles
 * back. Replay a failure with {@code -Dhostile.seed=<the printed seed>}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    // A request that announces more body than it sends, and a connection that sends nothing or
    // half its head, must be cut off well within the bound below.
    "asyncpatterns.http.read-timeout=2s",
    "server.netty.idle-timeout=2s",
    "asyncpatterns.patterns.max-concurrent-runs=64" })
class HostileInputIntegrationTests {

    private static final int CASES = 300;
    /** Generous for a loaded CI machine; a hang is a missing answer, not a slow one. */
    private static final Duration BOUND = Duration.ofSeconds(15);
    /** Pools that grow on first use (outbound connections, schedulers) grow during the warm-up. */
    private static final int THREAD_SLACK = 16;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    private int port;

    private final long seed = Long.getLong("hostile.seed", 20261204L);

    @Test
    void mutatedRequestsToEveryEndpointGetABoundedProblemAnswerAndLeaveNoThreads() throws IOException {
        HostileRequests requests = new HostileRequests(seed, port);
        List<String> failures = new ArrayList<>();
        for (HostileRequests.Request original : requests.originals()) {
            check(original, failures);
        }
        assertThat(failures).as("seed %d: the unmutated requests must pass first", seed).isEmpty();
        int baseline = liveThreads();

        for (int i = 0; i < CASES; i++) {
            check(requests.next(), failures);
        }

        assertThat(failures).as("seed %d (replay with -Dhostile.seed=%d)", seed, seed).isEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(liveThreads())
            .as("seed %d: live threads after %d hostile requests", seed, CASES).isLessThanOrEqualTo(baseline + THREAD_SLACK));
    }

    /**
     * Framing the HTTP decoder must refuse: the answer is a 4xx problem JSON (the decoder's own
     * refusals included) or a closed connection, within the bound, never a hang.
     */
    @Test
    void brokenFramingIsRefusedOrClosedWithinTheBound() throws IOException {
        String json = "{\"permits\":1,\"tasks\":1,\"taskMs\":1}";
        String head = "POST /api/patterns/semaphore HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
        List<String[]> cases = List.of(
                new String[] { "body shorter than Content-Length", head + "Content-Length: 100\r\n\r\n" + json },
                new String[] { "chunked, body not chunk-encoded", head + "Transfer-Encoding: chunked\r\n\r\n" + json },
                new String[] { "chunk size not hex", head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + json + "\r\n0\r\n\r\n" },
                new String[] { "chunk longer than announced", head + "Transfer-Encoding: chunked\r\n\r\n2\r\n" + json + "\r\n0\r\n\r\n" },
                new String[] { "no last chunk", head + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(json.length()) + "\r\n" + json + "\r\n" },
                new String[] { "Content-Length and chunked", head + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n" + json },
                new String[] { "two different Content-Lengths", head + "Content-Length: 5\r\nContent-Length: " + json.length() + "\r\n\r\n" + json },
                new String[] { "negative Content-Length", head + "Content-Length: -1\r\n\r\n" + json },
                new String[] { "Content-Length not a number", head + "Content-Length: ten\r\n\r\n" + json },
                new String[] { "bare LF line ends", head.replace("\r\n", "\n") + "Content-Length: " + json.length() + "\n\n" + json },
                new String[] { "header without a colon", head + "NoColonHere\r\nContent-Length: " + json.length() + "\r\n\r\n" + json },
                new String[] { "header name with a space", head + "Bad Name: x\r\nContent-Length: " + json.length() + "\r\n\r\n" + json },
                new String[] { "NUL in a header value", head + "X-Nul: a\u0000b\r\nContent-Length: " + json.length() + "\r\n\r\n" + json },
                new String[] { "header larger than the limit", head + "X-Big: " + "b".repeat(20_000) + "\r\n\r\n" },
                new String[] { "request line larger than the limit", "GET /api/jobs/" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n" },
                new String[] { "garbage request line", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003\r\n\r\n" },
                new String[] { "headers never finished", head + "X-Slow: 1\r\n" },
                new String[] { "nothing sent", "" });
        List<String> failures = new ArrayList<>();
        for (String[] framing : cases) {
            Answer answer;
            try {
                answer = RawHttp.exchange(port, framing[1].getBytes(StandardCharsets.ISO_8859_1), BOUND);
            }
            catch (RawHttp.NoAnswerException hang) {
                failures.add(framing[0] + ": " + hang.getMessage());
                continue;
            }
            if (answer.closedWithoutAnswer()) {
                continue;
            }
            if (answer.status() >= 500 || answer.status() < 400) {
                failures.add(framing[0] + ": answered " + answer.status());
            }
            else {
                problemFailure(answer, false).ifPresent(problem -> failures.add(framing[0] + ": " + problem));
            }
        }
        assertThat(failures).as("broken framing").isEmpty();
    }

    private void check(HostileRequests.Request request, List<String> failures) throws IOException {
        Answer answer;
        try {
            answer = RawHttp.exchange(port, request.bytes(), BOUND);
        }
        catch (RawHttp.NoAnswerException hang) {
            failures.add(request + ": " + hang.getMessage());
            return;
        }
        if (answer.closedWithoutAnswer()) {
            failures.add(request + ": closed without an answer");
            return;
        }
        int status = answer.status();
        if (status >= 500 && status != 502 && status != 504 && status != 503) {
            failures.add(request + ": answered " + status + " " + answer.bodyText());
            return;
        }
        if (status < 400) {
            return;
        }
        problemFailure(answer, request.headOnly()).ifPresent(problem -> failures.add(request + ": " + problem));
    }

    /** What is wrong with an error answer as problem JSON, if anything. */
    private static Optional<String> problemFailure(Answer answer, boolean headOnly) {
        String contentType = answer.header("content-type");
        if (contentType == null || !contentType.startsWith("application/problem+json")) {
            return Optional.of(answer.status() + " with content type " + contentType + ": "
                    + abbreviate(answer.bodyText()));
        }
        if (headOnly) {
            // HEAD gets the head of the problem answer only; its content type says what it is.
            return Optional.empty();
        }
        JsonNode problem = JSON.readTree(answer.body());
        if (problem.path("status").asInt() != answer.status() || !problem.hasNonNull("type")
                || !problem.hasNonNull("title") || problem.has("trace")) {
            return Optional.of("not a problem for " + answer.status() + ": " + abbreviate(answer.bodyText()));
        }
        return Optional.empty();
    }

    private static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
