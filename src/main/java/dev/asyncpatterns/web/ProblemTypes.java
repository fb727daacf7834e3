package dev.asyncpatterns.web;

import java.net.URI;

/**
 * The {@code type} URIs of every problem response, in one place so clients can switch on them
 * and no two features can give one type two meanings. They are identifiers, not links: nothing
 * is served at these addresses.
 */
public final class ProblemTypes {

    private static final String BASE = "https://asyncpatterns.dev/problems/";

    // The HTTP edge: bad input and framework answers.
    public static final URI VALIDATION = of("validation");
    public static final URI MALFORMED_REQUEST = of("malformed-request");
    /** Spring Security's firewall refused the request line or a header (an encoded slash, a NUL…). */
    public static final URI REQUEST_REJECTED = of("request-rejected");
    public static final URI UNSUPPORTED_MEDIA_TYPE = of("unsupported-media-type");
    public static final URI PAYLOAD_TOO_LARGE = of("payload-too-large");
    /** The HTTP codec's refusals, before the service reads the request: request line and headers. */
    public static final URI URI_TOO_LONG = of("uri-too-long");
    public static final URI HEADERS_TOO_LARGE = of("headers-too-large");
    public static final URI NOT_FOUND = of("not-found");
    public static final URI METHOD_NOT_ALLOWED = of("method-not-allowed");
    public static final URI NOT_ACCEPTABLE = of("not-acceptable");
    public static final URI INTERNAL = of("internal");
    public static final URI REQUEST_TIMEOUT = of("request-timeout");

    // Access control and per-caller limits.
    public static final URI UNAUTHORIZED = of("unauthorized");
    public static final URI FORBIDDEN = of("forbidden");
    /**
     * A rate limit said no: the caller's own ({@code /api}) or a named Resilience4j limiter of a
     * call. One type for both: the client's remedy is the same, wait for {@code Retry-After}.
     */
    public static final URI RATE_LIMITED = of("rate-limited");
    public static final URI QUOTA_EXCEEDED = of("quota-exceeded");

    // Jobs.
    public static final URI JOB_NOT_FOUND = of("job-not-found");
    public static final URI JOB_NOT_TERMINAL = of("job-not-terminal");
    public static final URI ILLEGAL_TRANSITION = of("illegal-transition");
    public static final URI REGISTRY_FULL = of("registry-full");
    public static final URI SHUTTING_DOWN = of("shutting-down");
    public static final URI STORE_UNAVAILABLE = of("store-unavailable");
    /** The {@code Idempotency-Key} names a submit that is still being admitted: 409. */
    public static final URI IDEMPOTENCY_KEY_IN_USE = of("idempotency-key-in-use");
    /** The {@code Idempotency-Key} was used before with another body: 422. */
    public static final URI IDEMPOTENCY_KEY_REUSED = of("idempotency-key-reused");
    /** The job was submitted without a {@code callback}, so there is nothing to redeliver: 404. */
    public static final URI CALLBACK_NOT_FOUND = of("callback-not-found");

    // Schedules.
    public static final URI SCHEDULE_NOT_FOUND = of("schedule-not-found");
    /** {@code asyncpatterns.schedules.max-total} schedules exist already: 429. */
    public static final URI SCHEDULES_FULL = of("schedules-full");

    // Fan-out and resilient calls.
    public static final URI CALL_FAILED = of("call-failed");
    public static final URI ALL_CALLS_FAILED = of("all-calls-failed");
    public static final URI FANOUT_TIMEOUT = of("fanout-timeout");
    /** Every attempt failed in a retryable way and the retry gave up (or there was none). */
    public static final URI RETRIES_EXHAUSTED = of("retries-exhausted");
    /** The named circuit breaker is open: the upstream is not called. */
    public static final URI CIRCUIT_OPEN = of("circuit-open");
    /** The named bulkhead had no free slot within its maximum wait. */
    public static final URI BULKHEAD_FULL = of("bulkhead-full");
    /** The whole call, retries and waits included, ran past {@code timeoutMs}. */
    public static final URI CALL_TIMEOUT = of("call-timeout");

    // Patterns.
    public static final URI PATTERN_NOT_FOUND = of("pattern-not-found");
    public static final URI TOO_MANY_PATTERN_RUNS = of("too-many-pattern-runs");
    public static final URI PATTERN_RUN_TIMEOUT = of("pattern-run-timeout");

    // TCP echo.
    public static final URI TCP_UNREACHABLE = of("tcp-unreachable");
    public static final URI TCP_TIMEOUT = of("tcp-timeout");
    public static final URI TCP_BAD_REPLY = of("tcp-bad-reply");

    private ProblemTypes() {
    }

    /**
     * The type of a framework answer no constant above names (a 405 or 414 raised outside a
     * controller): {@code http-<status>}, so it is still a stable identifier.
     */
    public static URI forStatus(int status) {
        return status == 404 ? NOT_FOUND : of("http-" + status);
    }

    private static URI of(String slug) {
        return URI.create(BASE + slug);
    }
}
