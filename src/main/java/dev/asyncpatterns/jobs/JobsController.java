package dev.asyncpatterns.jobs;

import java.security.Principal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Section 1 of API.md: background jobs. Thin: each method calls one {@link JobStore} method (the
 * in-memory registry, or the store shared by several instances). The submit, {@code POST /api/jobs},
 * is {@link JobSubmitRoute}'s. Error responses are documented by status and description only: the
 * OpenAPI document gives each its problem JSON body.
 */
@RestController
@RequestMapping("/api/jobs")
@Tag(name = "Jobs", description = "Background jobs: asyncio.create_task, Task.cancel, await task, the task registry")
class JobsController {

    private static final String ALL = "Every caller's jobs, not only the caller's own (needs the operator and monitor roles "
            + "when access control is on); another caller's job otherwise answers 404";

    private final JobStore store;
    private final JobsProperties properties;

    JobsController(JobStore store, JobsProperties properties) {
        this.store = store;
        this.properties = properties;
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
