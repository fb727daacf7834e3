package dev.asyncpatterns.web;

import java.net.URI;

/**
 * The {@code type} URIs of every problem response, in one place so clients can switch on them.
 * They are identifiers, not links: nothing is served at these addresses.
 */
public final class ProblemTypes {

    private static final String BASE = "https://asyncpatterns.dev/problems/";

    public static final URI VALIDATION = of("validation");
    public static final URI MALFORMED_REQUEST = of("malformed-request");
    public static final URI UNSUPPORTED_MEDIA_TYPE = of("unsupported-media-type");
    public static final URI PAYLOAD_TOO_LARGE = of("payload-too-large");
    public static final URI NOT_FOUND = of("not-found");
    public static final URI METHOD_NOT_ALLOWED = of("method-not-allowed");
    public static final URI NOT_ACCEPTABLE = of("not-acceptable");
    public static final URI REQUEST_TIMEOUT = of("request-timeout");
    public static final URI JOB_NOT_FOUND = of("job-not-found");
    public static final URI ILLEGAL_TRANSITION = of("illegal-transition");
    public static final URI REGISTRY_FULL = of("registry-full");
    public static final URI SHUTTING_DOWN = of("shutting-down");
    public static final URI INTERNAL = of("internal");

    private ProblemTypes() {
    }

    /** A problem type under this service's base URI; features add their own with this. */
    public static URI of(String slug) {
        return URI.create(BASE + slug);
    }
}
