package dev.asyncpatterns.calls;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/** {@code POST /api/calls} and {@code GET /api/policies}: section 3 of the API. */
@RestController
@RequestMapping(path = "/api", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Resilient calls", description = "One outbound call through named Resilience4j instances: rate limiting "
        + "(aiolimiter), retry with exponential backoff and jitter (tenacity), circuit breaker, bulkhead "
        + "(asyncio.Semaphore) and time limiter (asyncio.wait_for). Every wait is a cancellable timer.")
class CallsController {

    private static final String FLAKY = """
            {"url": "http://localhost:8080/sim/flaky?failureRate=0.5&seed=42", "retry": "default"}""";
    private static final String FULL = """
            {"url": "http://localhost:8080/sim/delay/100", "rateLimiter": "default", "retry": "patient",
             "circuitBreaker": "default", "bulkhead": "default", "timeLimiter": "default", "timeoutMs": 30000}""";
    private static final String UPSTREAM_RETRY_AFTER = """
            {"url": "http://localhost:8080/sim/status/503?retryAfter=1", "retry": "default"}""";
    private static final String STRICT = """
            {"url": "http://localhost:8080/sim/status/200", "rateLimiter": "strict"}""";
    private static final String NOT_FOUND = """
            {"url": "http://localhost:8080/sim/status/404", "retry": "patient"}""";

    private final ResilientCalls calls;
    private final PolicyCatalog catalog;

    CallsController(ResilientCalls calls, PolicyCatalog catalog) {
        this.calls = calls;
        this.catalog = catalog;
    }

    @PostMapping(path = "/calls", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Make one resilient outbound call",
            description = """
                    Calls `url` (GET) through the named instances, always in this order: \
                    Retry(CircuitBreaker(RateLimiter(TimeLimiter(Bulkhead(call))))) — the asyncio retry loop \
                    around `async with breaker, limiter, asyncio.timeout(...), semaphore: await session.get(url)`. \
                    Each request gets its own retry budget. Retried: connect errors, timeouts, 5xx and 429; never \
                    other 4xx (a 404 is the answer, with `result.ok: false`). An upstream `Retry-After` on a 429 or \
                    503 replaces the computed backoff, capped by the retry's `exponentialMaxWaitDuration`. \
                    Waiting for a permit, a slot or a backoff never holds a thread; a client that disconnects \
                    stops the retries. Unknown instance names and URLs outside the allowlist are a 400 before \
                    any call. `timeoutMs` bounds the whole call (504 past it), `perCallTimeoutMs` each HTTP exchange. \
                    Problems carry `attempts` (and the last `result` when a call was made).""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = {
        @ExampleObject(name = "flaky upstream, default retry", value = FLAKY),
        @ExampleObject(name = "every instance", value = FULL),
        @ExampleObject(name = "upstream Retry-After honoured", value = UPSTREAM_RETRY_AFTER),
        @ExampleObject(name = "strict rate limiter: send twice within a second for a 429", value = STRICT),
        @ExampleObject(name = "404 is never retried", value = NOT_FOUND)}))
    @ApiResponse(responseCode = "200", description = "The final result (a 2xx, or a failure not worth retrying) and every attempt",
            content = @Content(examples = @ExampleObject(value = """
                    {"result": {"index": 0, "url": "http://localhost:8080/sim/flaky?failureRate=0.5&seed=42", "ok": true,
                      "status": 200, "body": {"ok": true, "seed": 42, "call": 2}, "elapsedMs": 4},
                     "attempts": [{"attempt": 1, "outcome": "HTTP_STATUS 503", "elapsedMs": 6, "backoffMs": 87},
                                  {"attempt": 2, "outcome": "OK 200", "elapsedMs": 4}]}""")))
    @ApiResponse(responseCode = "400", description = "Invalid body, unknown instance name or URL not allowed; names the field",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "429", description = "The rate limiter had no permit in time",
            headers = @Header(name = "Retry-After", description = "seconds until the limiter's next permit", schema = @Schema(implementation = Integer.class)),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "502", description = "Retries exhausted: every attempt failed transiently; `attempts` and `result`",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "503", description = "The circuit is open (`Retry-After`: until it half-opens) or the bulkhead is full",
            headers = @Header(name = "Retry-After", description = "seconds, where known", schema = @Schema(implementation = Integer.class)),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "504", description = "The whole call ran past `timeoutMs`; the attempt in flight was cancelled",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    Mono<CallResponse> call(@Valid @RequestBody CallRequest request) {
        return calls.call(request);
    }

    @GetMapping("/policies")
    @Operation(summary = "List the resilience instances and their live state",
            description = "What an asyncio client builds by hand around `await session.get(url)` (an `asyncio.Semaphore` as a "
                    + "bulkhead, `asyncio.sleep` backoff between retries, `asyncio.timeout` per attempt), as named "
                    + "instances: every configured rate limiter, retry, circuit breaker, bulkhead and time limiter "
                    + "(`resilience4j.*` in application.yml) with its settings and state now: permits available, "
                    + "circuit state and failure rate, free bulkhead slots, retry counts. The names are what "
                    + "`POST /api/calls` and the fan-out endpoints accept.")
    Mono<Policies> policies() {
        return catalog.snapshotWithGlobal();
    }
}
