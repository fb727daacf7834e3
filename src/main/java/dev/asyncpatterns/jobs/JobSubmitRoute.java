package dev.asyncpatterns.jobs;

import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springdoc.core.annotations.RouterOperation;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.asyncpatterns.web.FieldError;
import dev.asyncpatterns.web.RouteAnswers;
import dev.asyncpatterns.web.RouteBodyType;
import jakarta.validation.Validator;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/jobs}, the submit, as a router function rather than a method of
 * {@link JobsController} (which keeps the path's {@code GET}). A job start is the request the
 * service serves most; a router function is asked before the annotated mappings, and reads its body
 * and header itself instead of through argument resolvers and a per-call {@code Mono.zip} of them,
 * and writes its answer without a {@code ResponseEntity}'s result handling: a fifth of a submit's CPU
 * in bench W3 (bench/README, ninth round). The answers are the annotated method's: the body is
 * validated as {@code @Valid} did (the same validator, the same field names), and {@link RouteAnswers}
 * gives the ones Spring gave from the mapping (415, 406, 405, {@code OPTIONS}).
 */
@Configuration(proxyBeanMethods = false)
class JobSubmitRoute {

    static final String PATH = "/api/jobs";

    /** Set on a 202 that repeats the first answer to an Idempotency-Key. */
    static final String REPLAYED = "Idempotent-Replayed";

    private final IdempotentSubmits submits;
    private final SpringValidatorAdapter validator;
    private final ObjectWriter jobWriter;

    JobSubmitRoute(IdempotentSubmits submits, Validator validator, JsonMapper jsonMapper) {
        this.submits = submits;
        this.validator = new SpringValidatorAdapter(validator);
        this.jobWriter = jsonMapper.writerFor(JobView.class);
    }

    @Bean
    @RouterOperation(path = PATH, method = RequestMethod.POST, beanClass = JobSubmitRoute.class, beanMethod = "create")
    RouterFunction<ServerResponse> jobSubmitRouter() {
        return RouteAnswers.route(PATH, Set.of(HttpMethod.POST), Set.of(HttpMethod.GET, HttpMethod.HEAD), this::create);
    }

    /** Its body's deserializer is built at startup, before two first submits can race to build it. */
    @Bean
    RouteBodyType jobRequestBody() {
        return new RouteBodyType(JobRequest.class);
    }

    @Operation(operationId = "create", tags = "Jobs", summary = "Start a background job",
            description = "asyncio.create_task: the job starts at once and the call returns before it ends. "
                    + "timeoutMs wraps the job in asyncio.timeout: past it the job is TIMED_OUT and its work stops. "
                    + "With runAt (loop.call_at) or delayMs (loop.call_later) the job waits SCHEDULED until then, "
                    + "nextAttemptAt saying when, and starts once due and a slot is free; a cancel meanwhile means it "
                    + "never starts. With callback.url (Task.add_done_callback across the network) the job JSON is "
                    + "POSTed there when the job ends, signed per Standard Webhooks (webhook-id, webhook-timestamp, "
                    + "webhook-signature) and tried again with backoff until a 2xx.",
            parameters = @Parameter(in = ParameterIn.HEADER, name = IdempotencyKey.HEADER,
                    description = "Submit at most once: a repeat with this key and the same body (within "
                    + "asyncpatterns.jobs.idempotency-ttl, 24 h by default) starts nothing and answers as the first "
                    + "did. 1-255 visible ASCII characters, scoped to the caller.", example = "order-4711-attempt",
                    schema = @Schema(type = "string")),
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
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = JobView.class)),
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
    Mono<ServerResponse> create(ServerRequest request) {
        RouteAnswers.requireJsonBody(request);
        RouteAnswers.requireJsonAccepted(request);
        ServerHttpRequest http = request.exchange().getRequest();
        List<String> keys = request.headers().header(IdempotencyKey.HEADER);
        // As a String parameter bound a repeated header: its values joined.
        String idempotencyKey = keys.isEmpty() ? null : String.join(",", keys);
        return RouteAnswers.jsonBody(request, JobRequest.class)
            .doOnNext(this::validate)
            .flatMap(job -> request.principal()
                // The address lets per-caller quotas tell anonymous callers apart, one allowance per IP.
                .map(principal -> new JobCaller(principal.getName(), false, http.getRemoteAddress()))
                .defaultIfEmpty(new JobCaller(null, false, http.getRemoteAddress()))
                .flatMap(caller -> submits.submit(job, caller, idempotencyKey)))
            .flatMap(submitted -> {
                ServerResponse.BodyBuilder answer = ServerResponse.accepted()
                    .header(HttpHeaders.LOCATION, JobLocations.of(http, submitted.job().id()));
                if (submitted.replayed()) {
                    answer.header(REPLAYED, "true");
                }
                // Written by a writer made once for the job's type, with the service's JSON settings, not
                // through the codecs' per-request writer lookup: 8-10% of a submit's CPU (bench/README).
                return RouteAnswers.json(answer, jobWriter.writeValueAsBytes(submitted.job()));
            });
    }

    /** As {@code @Valid} on the body: every violation, named as Spring names them. */
    private void validate(JobRequest job) {
        BeanPropertyBindingResult result = new BeanPropertyBindingResult(job, "jobRequest");
        validator.validate(job, result);
        if (result.hasErrors()) {
            throw new InvalidJobRequestException(FieldError.of(result));
        }
    }
}
