package dev.asyncpatterns.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.web.util.UriComponentsBuilder;

/** The Location of a new job, concatenated, is what Spring's UriComponentsBuilder of the request would build. */
class JobLocationsTests {

    private final JobId id = JobId.random();

    @Test
    void absoluteOnTheSchemeAndAuthorityTheRequestCameInOn() {
        MockServerHttpRequest request = MockServerHttpRequest.post("https://jobs.example.org:8443/api/jobs?x=1").build();

        assertThat(JobLocations.of(request, id)).isEqualTo("https://jobs.example.org:8443/api/jobs/" + id)
            .isEqualTo(builtBySpring(request));
    }

    @Test
    void underTheContextPath() {
        MockServerHttpRequest request = MockServerHttpRequest.post("http://[::1]:8080/app/api/jobs").contextPath("/app").build();

        assertThat(JobLocations.of(request, id)).isEqualTo("http://[::1]:8080/app/api/jobs/" + id)
            .isEqualTo(builtBySpring(request));
    }

    /** As the controller built it before, from a UriComponentsBuilder parameter. */
    private String builtBySpring(MockServerHttpRequest request) {
        return UriComponentsBuilder.fromUri(request.getURI()).replacePath(request.getPath().contextPath().value())
            .replaceQuery(null).pathSegment("api", "jobs", id.toString()).toUriString();
    }
}
