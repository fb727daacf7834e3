package dev.asyncpatterns.web;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ProblemResponsesIntegrationTests {

    @Autowired
    private WebTestClient client;

    @Test
    void anUnknownRouteAnswersProblemJsonNotAnHtmlPage() {
        client.get().uri("/api/no-such-thing").accept(MediaType.TEXT_HTML, MediaType.APPLICATION_JSON)
            .exchange()
            .expectStatus().isNotFound()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type").isEqualTo(ProblemTypes.NOT_FOUND.toString())
            .jsonPath("$.status").isEqualTo(404)
            .jsonPath("$.title").exists()
            .jsonPath("$.detail").exists()
            .jsonPath("$.trace").doesNotExist();
    }

    @Test
    void healthIsUp() {
        client.get().uri("/actuator/health").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.status").isEqualTo("UP");
    }
}
