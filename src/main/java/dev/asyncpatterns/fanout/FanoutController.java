package dev.asyncpatterns.fanout;

import java.security.Principal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.asyncpatterns.outbound.CallResult;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Fan-out fetches over HTTP: parse, hand to one pipeline, answer. */
@RestController
@RequestMapping(path = "/api/fanout", consumes = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Fan-out", description = "asyncio's gather, wait and as_completed over outbound HTTP calls. Every URL "
        + "is checked against asyncpatterns.outbound.allowed-hosts before any call: a refused URL answers 400 naming "
        + "`urls[i]` and no request leaves the service. Common fields: `urls` (1..asyncpatterns.fanout.max-urls), "
        + "`concurrency` (most calls in flight; default all at once), `perCallTimeoutMs`, `timeoutMs` (whole "
        + "operation), `rateLimiter` and `retry` (names of Resilience4j instances applied to each call).")
@ApiResponse(responseCode = "400", description = "Invalid request: the problem's `errors` name the field, e.g. `urls[2]`",
        content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
@ApiResponse(responseCode = "429", description = "The caller's quota `max-urls-in-flight` "
        + "(asyncpatterns.security.quota.max-urls-in-flight) is used up: its running fan-outs and fetch jobs already "
        + "hold too many outbound calls to add this request's min(urls, concurrency). Nothing was called; the "
        + "problem's `quota`, `limit`, `inUse` and `requested` say by how much. Per API key or token subject; per "
        + "client IP when anonymous.",
        headers = @Header(name = "Retry-After", description = "seconds; absent when this request alone needs more "
                + "than the quota allows (lower `concurrency`)", schema = @Schema(implementation = Integer.class)),
        content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
class FanoutController {

    private static final String SIM = "http://localhost:8080/sim";

    private final GatherPipeline gather;
    private final WaitPipeline wait;
    private final FirstPipeline first;
    private final StreamPipeline stream;

    FanoutController(GatherPipeline gather, WaitPipeline wait, FirstPipeline first, StreamPipeline stream) {
        this.gather = gather;
        this.wait = wait;
        this.first = first;
        this.stream = stream;
    }

    @PostMapping("/gather")
    @Operation(summary = "Call every URL and return all results in request order (asyncio.gather)",
            description = "Results come back in request order whatever order the calls finish in. With "
                    + "`returnExceptions: true` a failed call is a result with `ok: false`. With `returnExceptions: "
                    + "false` (the default) the first failure cancels every call still running and answers 502 naming "
                    + "its index and url: that is asyncio.TaskGroup's behaviour, since plain asyncio.gather would leave "
                    + "the other calls running. Past `timeoutMs`: 504 and every call is cancelled.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = {
                @ExampleObject(name = "returnExceptions", summary = "A slow, a fast and a failing call, failures as results",
                        value = "{\"urls\": [\"" + SIM + "/delay/200\", \"" + SIM + "/delay/50\", \"" + SIM
                                + "/status/503\"], \"concurrency\": 2, \"perCallTimeoutMs\": 2000, "
                                + "\"returnExceptions\": true}"),
                @ExampleObject(name = "taskGroup", summary = "The failure cancels the slow call: 502",
                        value = "{\"urls\": [\"" + SIM + "/delay/2000\", \"" + SIM + "/status/500\"]}")})))
    @ApiResponse(responseCode = "200", description = "Every result, in request order")
    @ApiResponse(responseCode = "502", description = "returnExceptions false: a call failed; the rest were cancelled",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "504", description = "timeoutMs passed; every call still running was cancelled",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    Mono<GatherResponse> gather(@Valid @RequestBody GatherRequest request, Principal principal,
            ServerHttpRequest http) {
        return gather.gather(request, caller(principal, http));
    }

    @PostMapping("/wait")
    @Operation(summary = "Call every URL until a condition holds (asyncio.wait)",
            description = "asyncio.wait(tasks, return_when=…, timeout=…): returns when `returnWhen` holds: "
                    + "FIRST_COMPLETED (any call finishes), FIRST_EXCEPTION (any "
                    + "call fails, or all finish), ALL_COMPLETED (default). `timeoutMs` ends the wait early without an "
                    + "error. Calls still pending are cancelled and listed in `pending`; `done` is in request order.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = {
                @ExampleObject(name = "firstCompleted", summary = "Return when the fast call finishes",
                        value = "{\"urls\": [\"" + SIM + "/delay/100\", \"" + SIM + "/delay/3000\"], "
                                + "\"returnWhen\": \"FIRST_COMPLETED\"}"),
                @ExampleObject(name = "timeout", summary = "Stop waiting after 500 ms",
                        value = "{\"urls\": [\"" + SIM + "/delay/100\", \"" + SIM + "/delay/3000\"], "
                                + "\"returnWhen\": \"ALL_COMPLETED\", \"timeoutMs\": 500}")})))
    @ApiResponse(responseCode = "200", description = "The calls done and the calls pending (now cancelled)")
    Mono<WaitResponse> wait(@Valid @RequestBody WaitRequest request, Principal principal, ServerHttpRequest http) {
        return wait.wait(request, caller(principal, http));
    }

    @PostMapping("/first")
    @Operation(summary = "Return the first successful result and cancel the rest (hedged requests)",
            description = "Every call races; the first to succeed is the answer and every other call is cancelled "
                    + "(asyncio.wait with FIRST_COMPLETED, looped until a success). If every call fails: 502 with "
                    + "every error in `errors`. Past `timeoutMs`: 504.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = {
                @ExampleObject(name = "hedge", summary = "The 50 ms call wins, the others are cancelled",
                        value = "{\"urls\": [\"" + SIM + "/delay/300\", \"" + SIM + "/delay/50\", \"" + SIM
                                + "/status/500\"]}")})))
    @ApiResponse(responseCode = "200", description = "The winning result")
    @ApiResponse(responseCode = "502", description = "Every call failed; `errors` lists them in request order",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    @ApiResponse(responseCode = "504", description = "timeoutMs passed; every call was cancelled",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    Mono<CallResult> first(@Valid @RequestBody CallsRequest request, Principal principal, ServerHttpRequest http) {
        return first.first(request, caller(principal, http));
    }

    @PostMapping(path = "/stream", produces = MediaType.APPLICATION_NDJSON_VALUE)
    @Operation(summary = "Stream results as calls complete (asyncio.as_completed)",
            description = "`for coro in asyncio.as_completed(tasks)`: one result per line (application/x-ndjson) in "
                    + "completion order. A client that disconnects "
                    + "cancels every call still running. Past `timeoutMs` the running calls are cancelled and each "
                    + "gets a line with error type CANCELLED.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = {
                @ExampleObject(name = "asCompleted", summary = "Lines arrive fastest first",
                        value = "{\"urls\": [\"" + SIM + "/delay/300\", \"" + SIM + "/delay/100\", \"" + SIM
                                + "/delay/200\"]}")})))
    @ApiResponse(responseCode = "200", description = "One result per line, in completion order",
            content = @Content(mediaType = MediaType.APPLICATION_NDJSON_VALUE))
    Flux<CallResult> stream(@Valid @RequestBody CallsRequest request, Principal principal, ServerHttpRequest http) {
        return stream.stream(request, caller(principal, http));
    }

    /** The authenticated name (none when anonymous) and the client's address, for per-caller quotas. */
    private static FanoutCaller caller(Principal principal, ServerHttpRequest http) {
        return new FanoutCaller(principal != null ? principal.getName() : null, http.getRemoteAddress());
    }
}
