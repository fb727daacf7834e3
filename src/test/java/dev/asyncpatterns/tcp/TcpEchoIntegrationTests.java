package dev.asyncpatterns.tcp;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.web.ProblemTypes;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "asyncpatterns.tcp.port=0", "asyncpatterns.tcp.client.read-timeout=500ms" })
@AutoConfigureWebTestClient
class TcpEchoIntegrationTests {

    @Autowired
    private WebTestClient client;

    @Autowired
    private TcpEchoServer server;

    private DisposableServer silent;

    @AfterEach
    void stopSilentServer() {
        if (silent != null) {
            silent.disposeNow(Duration.ofSeconds(5));
        }
    }

    private WebTestClient.ResponseSpec echo(String host, int port, String message) {
        return client.post().uri("/api/tcp/echo").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(new EchoRequest(host, port, message))
            .exchange();
    }

    @Test
    void aMessageTravelsToTheEchoServerAndBack() {
        echo("localhost", server.port(), "hello, streams").expectStatus().isOk()
            .expectBody()
            .jsonPath("$.reply").isEqualTo("hello, streams")
            .jsonPath("$.elapsedMs").isNumber();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
    }

    @Test
    void aHostOutsideTheAllowlistIsRefusedNamingTheHostField() {
        echo("example.com", server.port(), "hi").expectStatus().isBadRequest()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.errors[0].field").isEqualTo("host");
    }

    @Test
    void aMultiLineOrOversizedMessageIsRefusedNamingTheMessageField() {
        echo("localhost", server.port(), "two\nlines").expectStatus().isBadRequest()
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("message");
        echo("localhost", server.port(), "x".repeat(5000)).expectStatus().isBadRequest()
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("message");
    }

    @Test
    void aMissingPortIsRefusedNamingThePortField() {
        client.post().uri("/api/tcp/echo").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"host\":\"localhost\",\"message\":\"hi\"}")
            .exchange()
            .expectStatus().isBadRequest()
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("port");
    }

    @Test
    void aRefusedConnectionAnswers502() {
        // Bind then free a port so nothing listens there.
        DisposableServer temporary = TcpServer.create().host("127.0.0.1").port(0).bindNow(Duration.ofSeconds(5));
        int freePort = temporary.port();
        temporary.disposeNow(Duration.ofSeconds(5));
        echo("127.0.0.1", freePort, "hi").expectStatus().isEqualTo(502)
            .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.TCP_UNREACHABLE.toString());
    }

    @Test
    void aServerThatNeverRepliesAnswers504AfterTheReadTimeoutAndTheConnectionIsClosed() {
        AtomicBoolean closedByClient = new AtomicBoolean();
        silent = TcpServer.create().host("127.0.0.1").port(0)
            .doOnConnection(c -> c.onDispose(() -> closedByClient.set(true)))
            .handle((in, out) -> in.receive().then(Mono.never()))
            .bindNow(Duration.ofSeconds(5));
        echo("127.0.0.1", silent.port(), "anyone?").expectStatus().isEqualTo(504)
            .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.TCP_TIMEOUT.toString());
        await().atMost(Duration.ofSeconds(10)).untilTrue(closedByClient);
    }

    @Test
    void theBoundPortIsShownInActuatorInfo() {
        assertThat(server.port()).isPositive().isNotEqualTo(9090);
        client.get().uri("/actuator/info").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.tcp.port").isEqualTo(server.port())
            .jsonPath("$.tcp.running").isEqualTo(true);
    }
}
