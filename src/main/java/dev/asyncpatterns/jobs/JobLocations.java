package dev.asyncpatterns.jobs;

import java.net.URI;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The {@code Location} of a job just submitted: absolute, on the scheme and authority the request
 * came in on, as a {@code UriComponentsBuilder} from the request would build it. Concatenated:
 * {@code POST /api/jobs} answers thousands of times a second, and taking the request URI apart into
 * components and building it back was a visible part of its profile.
 */
final class JobLocations {

    private JobLocations() {
    }

    static String of(ServerHttpRequest request, JobId jobId) {
        URI uri = request.getURI();
        String path = request.getPath().contextPath().value() + "/api/jobs/" + jobId;
        String authority = uri.getRawAuthority();
        return authority == null ? path : uri.getScheme() + "://" + authority + path;
    }
}
