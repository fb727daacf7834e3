package dev.asyncpatterns.jobs;

import java.security.Principal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Section 1 of API.md: background jobs. Thin: each method calls one {@link JobStore} method (the
 * in-memory registry, or the store shared by several instances); a submit goes through
 * {@link IdempotentSubmits}, which honours an {@code Idempotency-Key} (section 12). Error responses are documented by
 * status and description only: the OpenAPI document gives each its problem JSON body.
 */
@RestController
@RequestMapping("/api/jobs")
@Tag(name = "Jobs", description = "Background jobs: asyncio.create_task, Task.cancel, await task, the task registry")
class JobsController {

    private static final String ALL = "Every caller's jobs, not only the caller's own (needs the operator and monitor roles "
            + "when access control is on); another caller's job otherwise answers 404";

    /** Set on a 202 that repeats the first answer to an Idempotency-Key. */
    static final String REPLAYED = "Idempotent-Replayed";

    private final JobStore store;
    private final IdempotentSubmits submits;
    private final JobsProperties properties;

    JobsController(JobStore store, IdempotentSubmits submits, JobsProperties properties) {
        this.store = store;
        this.submits = submits;
        this.properties = properties;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Start a background job",
            description = "asyncio.create_task: the job starts at once and the call returns before it ends. "
                    + "timeoutMs wraps the job in asyncio.timeout: past it the job is TIMED_OUT and its work stops. "
                    + "With runAt (loop.call_at) or delayMs (loop.call_later) the job waits SCHEDULED until then, "
                    + "nextAttemptAt saying when, and starts once due and a slot is free; a cancel meanwhile means it "
                    + "never starts. With callback.url (Task.add_done_callback across the network) the job JSON is "
                    + "POSTed there when the job ends, signed per Standard Webhooks (webhook-id, webhook-timestamp, "
                    + "webhook-signature) and tried again with backoff until a 2xx.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = JobRequest.class), examples = {
                                @ExampleObject(name = "sleep", summary = "asyncio.sleep with 5 progress ticks",
                                        value = "{\"type\": \"sleep\", \"params\": {\"durationMs\": 5000, \"steps\": 5}, \"timeoutMs\": 60000, \"name\": \"nightly\"}"),
                                @ExampleObject(name = "ticker", summary = "background_work: ticks until cancelled",
                                        value = "{\"type\": \"ticker\", \"params\": {\"intervalMs\": 1000}}"),
                                @ExampleObject(name = "cpu", summary = "run_in_executor(ProcessPool): sum of i*i for i < n",
                                        value = "{\"type\": \"cpu\", \"params\": {\"n\": 100000000}, \"timeoutMs\": 30000}"),
                                @ExampleObject(name = "blocking", summary = "asyncio.to_thread(time.sleep)",
                                        value = "{\"type\": \"blocking\", \"params\": {\"durationMs\": 2000}}"),
                                @ExampleObject(name = "pipeline", summary = "producers and consumers over asyncio.Queue(maxsize)",
                                        value = "{\"type\": \"pipeline\", \"params\": {\"items\": 100, \"producers\": 2, \"consumers\": 3, \"queueCapacity\": 5, \"itemDelayMs\": 10}}"),
                                @ExampleObject(name = "fetch", summary = "asyncio.gather of HTTP calls, in the background",
                                        value = "{\"type\": \"fetch\", \"params\": {\"urls\": [\"http://localhost:8080/sim/delay/200\", \"http://localhost:8080/sim/delay/400\"], \"concurrency\": 2}}"),
                                @ExampleObject(name = "call_later", summary = "loop.call_later: start in 10 seconds",
                                        value = "{\"type\": \"sleep\", \"params\": {\"durationMs\": 1000}, \"delayMs\": 10000}"),
                                @ExampleObject(name = "call_at", summary = "loop.call_at: start at an instant (at most 30 days ahead)",
                                        value = "{\"type\": \"sleep\", \"params\": {\"durationMs\": 1000}, \"runAt\": \"2026-12-24T18:00:00Z\"}"),
                                @ExampleObject(name = "retry", summary = "retry with backoff: up to 3 attempts, 1 s then 2 s apart (less up to 20 % jitter)",
                                        value = "{\"type\": \"fetch\", \"params\": {\"urls\": [\"http://localhost:8080/sim/status/503\"]}, \"retry\": {\"maxAttempts\": 3, \"backoffMs\": 1000, \"maxBackoffMs\": 30000, \"jitter\": 0.2, \"retryOn\": [\"FAILED\", \"TIMED_OUT\"]}}"),
                                @ExampleObject(name = "callback", summary = "Task.add_done_callback: POST the job JSON, signed, when it ends",
                                        value = "{\"type\": \"sleep\", \"params\": {\"durationMs\": 1000}, \"callback\": {\"url\": \"http://localhost:8080/sim/status/204\"}}")})))
    @ApiResponse(responseCode = "202", description = "Started, or SCHEDULED with runAt/delayMs (or, for a repeated "
            + "Idempotency-Key, started before); Location names the job",
            headers = {
                @Header(name = "Location", description = "/api/jobs/{id}", schema = @Schema(implementation = String.class, format = "uri-reference")),
                @Header(name = REPLAYED, description = "true when this answer replays the first answer to the same "
                        + "Idempotency-Key (the body is the job as it was then; GET Location for its state now)",
                        schema = @Schema(implementation = Boolean.class))})
    @ApiResponse(responseCode = "400", description = "Unknown type, or params/timeoutMs invalid, or a bad start: both "
            + "runAt and delayMs, a negative delay or one over 30 days, a runAt more than 30 days out or not an instant "
            + "(the problem names the field), a bad retry policy (retry.maxAttempts outside 1-20, retry.backoffMs, "
            + "retry.maxBackoffMs, retry.jitter outside 0-1, retry.retryOn other than FAILED/TIMED_OUT), a callback.url "
            + "outside asyncpatterns.outbound.allowed-hosts, or an Idempotency-Key that is empty, longer than 255 characters or not "
            + "visible ASCII")
    @ApiResponse(responseCode = "409", description = "A request with the same Idempotency-Key is still being admitted; retry")
    @ApiResponse(responseCode = "413", description = "Body larger than the configured cap")
    @ApiResponse(responseCode = "415", description = "Body not application/json")
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was used before with a different body")
    @ApiResponse(responseCode = "429", description = "asyncpatterns.jobs.max-active jobs already running (with "
            + "store=postgres: as many already waiting for a slot in the cluster), or a per-caller quota is used up: "
            + "`quota` names it (max-active-jobs; max-cpu-work for a cpu job, the sum of the caller's active cpu jobs' "
            + "`n`; max-urls-in-flight for a fetch job, which holds min(urls, concurrency) of the caller's outbound "
            + "calls while it runs); for a job with runAt or delayMs: asyncpatterns.jobs.max-scheduled jobs already wait "
            + "for their time (`maxScheduled`)",
            headers = @Header(name = "Retry-After", description = "seconds", schema = @Schema(implementation = Integer.class)))
    @ApiResponse(responseCode = "503", description = "Shutting down: no new jobs; or (store=postgres) the job store's "
            + "database is unreachable")
    Mono<ResponseEntity<JobView>> create(@Valid @RequestBody JobRequest request,
            @Parameter(description = "Submit at most once: a repeat with this key and the same body (within "
                    + "asyncpatterns.jobs.idempotency-ttl, 24 h by default) starts nothing and answers as the first "
                    + "did. 1-255 visible ASCII characters, scoped to the caller.", example = "order-4711-attempt")
            @RequestHeader(name = IdempotencyKey.HEADER, required = false) String idempotencyKey,
            ServerWebExchange exchange) {
        // The exchange rather than a Principal, a UriComponentsBuilder and the request as parameters:
        // Spring resolves each parameter per call (type lookups, a Mono each), a profile's tenth of this POST.
        ServerHttpRequest http = exchange.getRequest();
        // The address lets per-caller quotas tell anonymous callers apart, one allowance per IP.
        return exchange.getPrincipal()
            .map(principal -> new JobCaller(principal.getName(), false, http.getRemoteAddress()))
            .defaultIfEmpty(new JobCaller(null, false, http.getRemoteAddress()))
            .flatMap(caller -> submits.submit(request, caller, idempotencyKey))
            .map(submitted -> {
                ResponseEntity.BodyBuilder answer = ResponseEntity.accepted()
                    .header(HttpHeaders.LOCATION, JobLocations.of(http, submitted.job().id()));
                if (submitted.replayed()) {
                    answer.header(REPLAYED, "true");
                }
                return answer.body(submitted.job());
            });
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List jobs, newest first",
            description = "asyncio.all_tasks, filtered: the task registry's jobs, optionally of one state or type. "
                    + "Finished jobs stay listed until retention forgets them.")
    @ApiResponse(responseCode = "200", description = "The jobs")
    @ApiResponse(responseCode = "400", description = "Invalid state, unknown type or limit out of range")
    Mono<JobList> list(@Parameter(description = "Only jobs in this state") @RequestParam(required = false) JobState state,
            @Parameter(description = "Only jobs of this type") @RequestParam(required = false) String type,
            @Parameter(description = "At most this many jobs (1 to asyncpatterns.jobs.max-list-limit)")
            @RequestParam(required = false) Integer limit,
            @Parameter(description = ALL) @RequestParam(defaultValue = "false") boolean all, Principal principal) {
        return store.list(state, type, limit, caller(principal, all)).map(JobList::new);
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Get a job, optionally awaiting its end",
            description = "await asyncio.wait_for(asyncio.shield(task), waitMs): with waitMs the answer waits until the "
                    + "job is terminal or waitMs passed (capped by asyncpatterns.jobs.max-wait), then returns the job "
                    + "as it is. Waiting never cancels the job.")
    @ApiResponse(responseCode = "200", description = "The job")
    @ApiResponse(responseCode = "400", description = "waitMs invalid")
    @ApiResponse(responseCode = "404", description = "Unknown job")
    Mono<JobView> get(@PathVariable String id,
            @Parameter(description = "Wait up to this many ms for a terminal state")
            @RequestParam(defaultValue = "0") @Min(0) @Max(JobRequest.MAX_TIMEOUT_MS) long waitMs,
            @Parameter(description = ALL) @RequestParam(defaultValue = "false") boolean all, Principal principal) {
        return store.await(id, waitMs, caller(principal, all));
    }

    @PostMapping(path = "/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Cancel a job",
            description = "Task.cancel(): the job becomes CANCELLED (cancelReason USER) and its in-flight work stops: "
                    + "timers are disposed, HTTP calls aborted, queue waits left, CPU loops stop, blocking threads interrupted.")
    @ApiResponse(responseCode = "202", description = "Cancelled")
    @ApiResponse(responseCode = "404", description = "Unknown job")
    @ApiResponse(responseCode = "409", description = "Already terminal")
    Mono<JobView> cancel(@PathVariable String id,
            @Parameter(description = ALL) @RequestParam(defaultValue = "false") boolean all, Principal principal) {
        return store.cancel(id, caller(principal, all));
    }

    @PostMapping(path = "/{id}/retry", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Run a dead job again (dead-letter requeue)",
            description = "asyncio.create_task again for a task that ended badly: a FAILED, TIMED_OUT or CANCELLED "
                    + "job runs once more as a new attempt of the same job: it is "
                    + "SCHEDULED, due now, and starts when a slot is free; attempts[] keeps the earlier attempts. Its "
                    + "retry policy grants no new backoff budget: if this attempt fails, that is final.")
    @ApiResponse(responseCode = "202", description = "Requeued: the job, SCHEDULED")
    @ApiResponse(responseCode = "404", description = "Unknown job")
    @ApiResponse(responseCode = "409", description = "Not terminal yet, or SUCCEEDED")
    @ApiResponse(responseCode = "429", description = "asyncpatterns.jobs.max-scheduled jobs already wait for their time",
            headers = @Header(name = "Retry-After", description = "seconds", schema = @Schema(implementation = Integer.class)))
    Mono<JobView> retry(@PathVariable String id,
            @Parameter(description = ALL) @RequestParam(defaultValue = "false") boolean all, Principal principal) {
        return store.retry(id, caller(principal, all));
    }

    @PostMapping(path = "/{id}/callback/redeliver", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Send a finished job's callback again",
            description = "Task.add_done_callback across the network, run again: starts a new delivery of the job "
                    + "JSON to the job's callback URL (a new webhook-id, tries "
                    + "counted from 0, the same backoff); while a delivery is still under way it goes on and no other "
                    + "starts. The answer is the job, its callback PENDING.")
    @ApiResponse(responseCode = "202", description = "Delivery started")
    @ApiResponse(responseCode = "404", description = "Unknown job, or a job submitted without a callback "
            + "(type callback-not-found)")
    @ApiResponse(responseCode = "409", description = "The job has not reached its final state yet")
    Mono<JobView> redeliverCallback(@PathVariable String id,
            @Parameter(description = ALL) @RequestParam(defaultValue = "false") boolean all, Principal principal) {
        return store.redeliverCallback(id, caller(principal, all));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Forget a finished job",
            description = "Drops a terminal task from the registry (`background_tasks.discard(task)` once "
                    + "`Task.done()`); a running one must be cancelled first.")
    @ApiResponse(responseCode = "204", description = "Forgotten")
    @ApiResponse(responseCode = "404", description = "Unknown job")
    @ApiResponse(responseCode = "409", description = "Not terminal yet")
    Mono<Void> delete(@PathVariable String id,
            @Parameter(description = ALL) @RequestParam(defaultValue = "false") boolean all, Principal principal) {
        return store.delete(id, caller(principal, all));
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Stream a job's state and progress",
            description = "Task.add_done_callback as a stream: SSE `state` events (the job JSON) and `progress` events "
                    + "({completed, total}), a keep-alive comment every asyncpatterns.jobs.sse-keep-alive; the stream "
                    + "ends after the terminal state, and on shutdown.")
    @ApiResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE))
    @ApiResponse(responseCode = "404", description = "Unknown job")
    Flux<ServerSentEvent<Object>> events(@PathVariable String id,
            @Parameter(description = ALL) @RequestParam(defaultValue = "false") boolean all, Principal principal) {
        return JobEventStreams.sse(store.events(id, caller(principal, all)), properties.sseKeepAlive());
    }

    /**
     * The authenticated caller (none when anonymous). Whether it may ask for {@code all} is the
     * access-control layer's decision, taken before the call gets here.
     */
    private static JobCaller caller(Principal principal, boolean all) {
        return new JobCaller(principal != null ? principal.getName() : null, all);
    }
}
