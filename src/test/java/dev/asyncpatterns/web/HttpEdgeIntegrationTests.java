package dev.asyncpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The HTTP edge against careless and hostile clients, over raw sockets: slow and half-sent
 * requests are closed after the configured timeouts (short here, so the bounds below are
 * generous), a body that stops short answers 408 problem JSON, broken chunked framing is refused
 * at once, and a client hanging up is counted, not logged as an error.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "asyncpatterns.http.read-timeout=1s", "server.netty.idle-timeout=1s" })
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class HttpEdgeIntegrationTests {

    /** Far above the 1 s timeouts, far below "never": without them the connections stay open. */
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(15);
    private static final String SEMAPHORE = "POST /api/patterns/semaphore HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/json\r\n";
    private static final String PARAMS = "{\"permits\":2,\"tasks\":3,\"taskMs\":10}";

    @LocalServerPort
    private int port;

    @Autowired
    private WebTestClient client;

    @Autowired
    private MeterRegistry meters;

    /**
     * springdoc builds its document at start-up on a thread of its own, with the JSON mapper the
     * requests here use: until it is done, a request building a body reader can wait on the
     * mapper's lock on an event loop (BlockHound fails it). Once the document is served, it is done.
     */
    @BeforeEach
    void apiDocsAreBuilt() {
        // Read, even unasserted: WebTestClient leaves an unread body's Netty buffers unreleased.
        client.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody(Void.class);
    }

    @Test
    void aConnectionThatSaysNothingIsClosed() throws IOException {
        try (RawConnection silent = new RawConnection(port)) {
            assertThat(silent.readUntilClosed(CLOSED_WITHIN)).isEmpty();
        }
    }

    @Test
    void aRequestWhoseHeadersNeverEndIsClosed() throws IOException {
        try (RawConnection slow = new RawConnection(port)) {
            slow.send("POST /api/patterns/semaphore HTTP/1.1\r\nHost: localhost\r\n");
            assertThat(slow.readUntilClosed(CLOSED_WITHIN)).isEmpty();
        }
    }

    @Test
    void aBodyThatStopsShortAnswers408ProblemJsonAndIsClosed(CapturedOutput output) throws IOException {
        try (RawConnection slow = new RawConnection(port)) {
            slow.send(SEMAPHORE + "Content-Length: 100\r\n\r\n{\"permits\":");
            assertRequestTimeout(slow.readUntilClosed(CLOSED_WITHIN));
        }
        // Reactor Netty signals the timeout again once the 408 is written: not an error to log.
        assertThat(output).doesNotContain("Unhandled error").doesNotContain(BodyReadTimeoutException.class.getName());
    }

    @Test
    void aChunkedBodyThatIsNotChunkEncodedIsRefusedAt400() throws IOException {
        try (RawConnection broken = new RawConnection(port)) {
            broken.send(SEMAPHORE + "Transfer-Encoding: chunked\r\n\r\n" + PARAMS + "\r\n");
            assertBadRequest(broken.readUntilClosed(CLOSED_WITHIN));
        }
    }

    /**
     * The chunk-size line never ends, so Netty's decoder alone would wait for it until the request
     * timeout (408): the chunked-body watch refuses it at its first byte. The timeout here is 1 s,
     * so only the status, not the time, tells the two apart.
     */
    @Test
    void aChunkedBodyThatIsNotChunkEncodedAndNeverEndsALineIsRefusedAt400() throws IOException {
        try (RawConnection broken = new RawConnection(port)) {
            broken.send(SEMAPHORE + "Transfer-Encoding: chunked\r\n\r\n" + PARAMS);
            assertBadRequest(broken.readUntilClosed(CLOSED_WITHIN));
        }
    }

    /** A later chunk-size line that goes wrong is refused as early as the first one. */
    @Test
    void aBrokenSecondChunkIsRefusedAt400() throws IOException {
        try (RawConnection broken = new RawConnection(port)) {
            broken.send(SEMAPHORE + "Transfer-Encoding: chunked\r\n\r\n" + "3\r\n{\"p\r\nermits\":2}");
            assertBadRequest(broken.readUntilClosed(CLOSED_WITHIN));
        }
    }

    /**
     * Well-formed chunked bodies (an extension, a trailer, one request after another on a connection)
     * are served, whether they arrive in one write or one byte at a time: the watch never refuses what
     * is valid, and finds the next request after a chunked body.
     */
    @ParameterizedTest
    @ValueSource(ints = { 1, 7, Integer.MAX_VALUE })
    void wellFormedChunkedRequestsOnOneConnectionAreServed(int bytesPerWrite) throws IOException {
        String half = PARAMS.substring(0, 10);
        String rest = PARAMS.substring(10);
        String chunked = SEMAPHORE + "Transfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(half.length()) + ";note=first\r\n" + half + "\r\n"
                + Integer.toHexString(rest.length()).toUpperCase() + "\r\n" + rest + "\r\n"
                + "0\r\nX-Checksum: none\r\n\r\n";
        String last = chunked.replace("Host: localhost\r\n", "Host: localhost\r\nConnection: close\r\n");
        try (RawConnection connection = new RawConnection(port)) {
            sendInPieces(connection, chunked, bytesPerWrite);
            assertThat(connection.readResponse(CLOSED_WITHIN)).startsWith("HTTP/1.1 200 OK").contains("\"completed\":3");
            sendInPieces(connection, last, bytesPerWrite);
            String answers = connection.readUntilClosed(CLOSED_WITHIN);
            assertThat(answers).startsWith("HTTP/1.1 200 OK").contains("\"completed\":3");
        }
    }

    /**
     * A client that reads an answer and at once sends its last request ({@code Connection: close})
     * can get it in before Reactor Netty has finished the request before; Reactor Netty alone then
     * never serves it (one connection in six here, on a busy machine). Twenty tries.
     */
    @Test
    void aLastRequestSentTheMomentTheAnswerBeforeItArrivesIsServed() throws IOException {
        String request = SEMAPHORE + "Content-Length: " + PARAMS.length() + "\r\n\r\n" + PARAMS;
        String last = request.replace("Host: localhost\r\n", "Host: localhost\r\nConnection: close\r\n");
        for (int attempt = 0; attempt < 20; attempt++) {
            try (RawConnection connection = new RawConnection(port)) {
                connection.send(request);
                assertThat(connection.readResponse(CLOSED_WITHIN)).startsWith("HTTP/1.1 200 OK");
                connection.send(last);
                assertThat(connection.readUntilClosed(CLOSED_WITHIN)).as("attempt %d", attempt)
                    .startsWith("HTTP/1.1 200 OK").contains("\"completed\":3");
            }
        }
    }

    private static void sendInPieces(RawConnection connection, String text, int bytesPerWrite) throws IOException {
        for (int from = 0; from < text.length(); from += bytesPerWrite) {
            connection.send(text.substring(from, (int) Math.min(text.length(), (long) from + bytesPerWrite)));
        }
    }

    /** Refused below the service (by the codec or Spring's adapter), and still problem JSON. */
    @Test
    void whatIsRefusedBelowTheServiceIsProblemJsonCountedAndNotLogged(CapturedOutput output) throws IOException {
        double before400 = refused(400);
        double before414 = refused(414);
        double before431 = refused(431);
        String big = "a".repeat(10_000);
        assertRefusedAsProblem("GET /api/jobs/" + big + " HTTP/1.1\r\nHost: localhost\r\n\r\n", 414, ProblemTypes.URI_TOO_LONG);
        assertRefusedAsProblem("GET /api/jobs HTTP/1.1\r\nHost: localhost\r\nX-Big: " + big + "\r\n\r\n", 431,
                ProblemTypes.HEADERS_TOO_LARGE);
        assertRefusedAsProblem("GET /api/jobs|%zz HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, ProblemTypes.MALFORMED_REQUEST);
        assertRefusedAsProblem("GET /api/jobs HTTP/1.1\r\nHost: localhost\r\nNot a header line\r\n\r\n", 400,
                ProblemTypes.MALFORMED_REQUEST);

        assertThat(refused(400) - before400).isEqualTo(2);
        assertThat(refused(414) - before414).isEqualTo(1);
        assertThat(refused(431) - before431).isEqualTo(1);
        assertThat(output).doesNotContain("Decoding failed");
    }

    private double refused(int status) {
        return meters.get(BodilessRefusals.METER).tag("status", String.valueOf(status)).counter().count();
    }

    private void assertRefusedAsProblem(String request, int status, URI type) throws IOException {
        try (RawConnection refused = new RawConnection(port)) {
            refused.send(request);
            assertThat(refused.readUntilClosed(CLOSED_WITHIN)).startsWith("HTTP/1.1 " + status + " ")
                .containsIgnoringCase("content-type: " + MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                .contains("\"status\":" + status, "\"type\":\"" + type + "\"");
        }
    }

    @Test
    void aHeadRequestRefusedBelowTheServiceGetsNoBody() throws IOException {
        try (RawConnection refused = new RawConnection(port)) {
            refused.send("HEAD /api/jobs|%zz HTTP/1.1\r\nHost: localhost\r\n\r\n");
            String answer = refused.readUntilClosed(CLOSED_WITHIN);
            assertThat(answer).startsWith("HTTP/1.1 400 ").endsWith("\r\n\r\n")
                .containsIgnoringCase("content-type: " + MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        }
    }

    @Test
    void aWellFormedRequestIsServedWhileSlowConnectionsAreOpen() throws IOException {
        List<RawConnection> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                slow.add(new RawConnection(port).send(i % 2 == 0 ? "GET / HTTP/1.1\r\nHost: l"
                        : SEMAPHORE + "Content-Length: 100\r\n\r\n{"));
            }
            client.get().uri("/api/patterns").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[0]").exists();
            for (RawConnection connection : slow) {
                connection.readUntilClosed(CLOSED_WITHIN);
            }
        }
        finally {
            for (RawConnection connection : slow) {
                connection.close();
            }
        }
    }

    @Test
    void aClientHangingUpIsCountedAndNotLoggedAsAnError(CapturedOutput output) throws IOException {
        double before = hangUps();
        try (RawConnection leaving = new RawConnection(port)) {
            // The server asks for the body once the controller reads it: then the client leaves.
            leaving.send(SEMAPHORE + "Content-Length: 100\r\nExpect: 100-continue\r\n\r\n");
            assertThat(leaving.readLine(CLOSED_WITHIN)).startsWith("HTTP/1.1 100 ");
            leaving.send("{\"permits\":");
        }
        await().atMost(CLOSED_WITHIN).until(() -> hangUps() > before);
        assertThat(output).doesNotContain("Unhandled error").doesNotContain("AbortedException");
    }

    private double hangUps() {
        return meters.get(ClientHangUps.METER).functionCounter().count();
    }

    private static void assertBadRequest(String response) {
        assertThat(response).startsWith("HTTP/1.1 400 ")
            .containsIgnoringCase("content-type: " + MediaType.APPLICATION_PROBLEM_JSON_VALUE)
            .contains("\"status\":400");
    }

    private static void assertRequestTimeout(String response) {
        assertThat(response).startsWith("HTTP/1.1 408 ")
            .containsIgnoringCase("content-type: " + MediaType.APPLICATION_PROBLEM_JSON_VALUE)
            .contains("\"status\":408", "\"type\":\"" + ProblemTypes.REQUEST_TIMEOUT + "\"");
    }
}
