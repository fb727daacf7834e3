package dev.asyncpatterns.tcp;

import static dev.asyncpatterns.testsupport.ProblemJson.expectInvalid;
import static dev.asyncpatterns.testsupport.ProblemJson.expectProblem;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.testsupport.WebSlice;


import reactor.core.publisher.Mono;

/**
 * Section 5's HTTP edge: status codes, validation and problem JSON, with the TCP client mocked.
 * Real connections are {@code TcpEchoIntegrationTests}' part.
 */
@Import(WebSlice.class)
@WebFluxTest(controllers = TcpEchoController.class)
class TcpEchoControllerTests {

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private TcpEchoClient echo;

    private WebTestClient.ResponseSpec post(Object host, Object port, Object message) {
        Map<String, Object> body = new HashMap<>();
        body.put("host", host);
        body.put("port", port);
        body.put("message", message);
        return client.post().uri("/api/tcp/echo").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }


    @Test
    void anEchoAnswers200WithTheReply() {
        when(echo.echo(any())).thenReturn(Mono.just(new EchoReply("hello", 2)));

        post("localhost", 9090, "hello")
            .expectStatus().isOk()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
            .expectBody().jsonPath("$.reply").isEqualTo("hello");
    }

    @Test
    void anInvalidBodyAnswers400NamingTheFieldBeforeAnyConnection() {
        expectInvalid(post("", 9090, "hello"), "host");
        expectInvalid(post("localhost", 0, "hello"), "port");
        expectInvalid(post("localhost", 65536, "hello"), "port");
        expectInvalid(post("localhost", null, "hello"), "port");
        expectInvalid(post("localhost", 9090, null), "message");
        verifyNoInteractions(echo);
    }

    @Test
    void anUnreachableServerAnswersItsProblem() {
        when(echo.echo(any())).thenReturn(Mono.error(new TcpEchoFailedException(HttpStatus.BAD_GATEWAY,
                TcpEchoFailedException.UNREACHABLE, "Unreachable", "connection refused")));

        expectProblem(post("localhost", 1, "hello"), 502);
    }
}
