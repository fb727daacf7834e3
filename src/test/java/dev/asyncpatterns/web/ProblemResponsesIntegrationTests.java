package dev.asyncpatterns.web;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class ProblemResponsesIntegrationTests {

    @Autowired
    private WebTestClient client;

    @LocalServerPort
    private int port;

    private WebTestClient.BodyContentSpec expectProblem(WebTestClient.ResponseSpec response, int status) {
        return response.expectStatus().isEqualTo(status)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.status").isEqualTo(status)
            .jsonPath("$.title").exists()
            .jsonPath("$.detail").exists()
            .jsonPath("$.trace").doesNotExist();
    }

    @Test
    void anUnknownRouteAnswersProblemJsonNotAnHtmlPage() {
        expectProblem(client.get().uri("/api/no-such-thing").accept(MediaType.TEXT_HTML, MediaType.APPLICATION_JSON)
            .exchange(), 404)
            .jsonPath("$.type").isEqualTo(ProblemTypes.NOT_FOUND.toString())
            .jsonPath("$.instance").isEqualTo("/api/no-such-thing");
    }

    /** The raw path goes on the wire as written: a URI template would encode the percent signs again. */
    @ParameterizedTest
    @ValueSource(strings = { "/api/jobs/%00", "/api/jobs/..%2F..%2Fetc%2Fpasswd", "/sim/bytes/%00", "/api/jobs;x=1" })
    void aPathTheFirewallRefusesAnswersProblemJson(String path) {
        expectProblem(client.get().uri(URI.create("http://127.0.0.1:" + port + path)).exchange(), 400)
            .jsonPath("$.type").isEqualTo(ProblemTypes.REQUEST_REJECTED.toString())
            .jsonPath("$.instance").isEqualTo(path);
    }

    @Test
    void aMethodTheFirewallRefusesAnswersProblemJson() {
        expectProblem(client.method(org.springframework.http.HttpMethod.valueOf("TRACE")).uri("/api/jobs").exchange(), 400)
            .jsonPath("$.type").isEqualTo(ProblemTypes.REQUEST_REJECTED.toString());
    }

    @ParameterizedTest
    @CsvSource({ "GET,/api/jobs", "POST,/api/jobs", "GET,/api/patterns" })
    void anEventStreamAcceptOnAJsonEndpointGetsA406ProblemNotAnSseEvent(String method, String path) {
        expectProblem(client.method(org.springframework.http.HttpMethod.valueOf(method)).uri(path)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"type\":\"sleep\",\"params\":{\"durationMs\":5}}")
            .exchange(), 406)
            .jsonPath("$.type").isEqualTo(ProblemTypes.NOT_ACCEPTABLE.toString());
    }

    @Test
    void anAcceptHeaderThatDoesNotParseGetsA406ProblemWithABody() {
        expectProblem(client.get().uri("/api/jobs").header(HttpHeaders.ACCEPT, ";;;").exchange(), 406)
            .jsonPath("$.type").isEqualTo(ProblemTypes.NOT_ACCEPTABLE.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/api/jobs|{\"type\":\"sleep\",\"params\":{\"durationMs\":5},\"timeOut\":50}|timeOut",
        "/api/jobs|{\"type\":\"sleep\",\"params\":{\"durationMs\":5,\"stepz\":2}}|params.stepz",
        "/api/fanout/gather|{\"urls\":[\"http://localhost:1/sim/delay/1\"],\"concurency\":2}|concurency",
        "/api/fanout/wait|{\"urls\":[\"http://localhost:1/sim/delay/1\"],\"returnwhen\":\"FIRST_COMPLETED\"}|returnwhen",
        "/api/fanout/first|{\"urls\":[\"http://localhost:1/sim/delay/1\"],\"retries\":2}|retries",
        "/api/calls|{\"url\":\"http://localhost:1/sim/delay/1\",\"retrys\":\"default\"}|retrys",
        "/api/patterns/semaphore|{\"permits\":2,\"task\":3}|task",
        "/api/tcp/echo|{\"host\":\"localhost\",\"port\":1,\"message\":\"hi\",\"timeout\":5}|timeout" })
    void anUnknownFieldIsRefusedAndNamed(String path, String body, String field) {
        expectProblem(client.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange(), 400)
            .jsonPath("$.type").isEqualTo(ProblemTypes.VALIDATION.toString())
            .jsonPath("$.errors[0].field").isEqualTo(field);
    }

    @Test
    void aValueOfTheWrongKindNamesItsField() {
        expectProblem(client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"type\":\"sleep\",\"params\":{},\"onInstanceLoss\":\"SOMETIMES\"}").exchange(), 400)
            .jsonPath("$.type").isEqualTo(ProblemTypes.VALIDATION.toString())
            .jsonPath("$.errors[0].field").isEqualTo("onInstanceLoss");
    }

    @Test
    void healthIsUp() {
        client.get().uri("/actuator/health").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.status").isEqualTo("UP");
    }
}
