package dev.asyncpatterns.testsupport;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Assertions on RFC 9457 answers that hold whatever the detail says: the status, the problem
 * content type, and {@code status} and {@code type} in the body. Details are for people and may
 * be reworded; tests that check them pin wording, not behaviour.
 */
public final class ProblemJson {

    private ProblemJson() {
    }

    /** A problem answer with this status; chain further {@code jsonPath} checks on the result. */
    public static WebTestClient.BodyContentSpec expectProblem(WebTestClient.ResponseSpec response, int status) {
        return response.expectStatus().isEqualTo(status)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.status").isEqualTo(status)
            .jsonPath("$.type").exists();
    }

    /** A 400 whose first error names {@code field}. */
    public static WebTestClient.BodyContentSpec expectInvalid(WebTestClient.ResponseSpec response, String field) {
        return expectProblem(response, 400).jsonPath("$.errors[0].field").isEqualTo(field);
    }
}
