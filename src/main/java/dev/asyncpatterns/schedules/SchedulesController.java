package dev.asyncpatterns.schedules;

import java.net.URI;
import java.security.Principal;
import java.time.Clock;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

import dev.asyncpatterns.jobs.JobCaller;
import dev.asyncpatterns.jobs.JobView;
import reactor.core.publisher.Mono;

/**
 * API.md §11, recurring schedules. Thin: each method calls one {@link ScheduleStore} method; a
 * create first turns the body into a {@link Schedule} (400 naming the field). Schedules are their
 * creator's: another caller's answers 404. Error responses are documented by status and
 * description; the OpenAPI document gives each its problem JSON body.
 */
@RestController
@RequestMapping("/api/schedules")
@Tag(name = "Schedules", description = "Recurring jobs: loop.call_at re-armed after each run, on a cron expression or a period")
class SchedulesController {

    private static final String NOT_FOUND = "Unknown schedule, or another caller's";

    private final ScheduleStore store;
    private final ScheduleDefinitions definitions;
    private final Clock clock = Clock.systemUTC();

    SchedulesController(ScheduleStore store, ScheduleDefinitions definitions) {
        this.store = store;
        this.definitions = definitions;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a recurring schedule",
            description = "A loop.call_at that re-arms itself: at each due time the schedule starts its job as with "
                    + "asyncio.create_task (POST /api/jobs, as the schedule's owner, with its quotas), the job carrying "
                    + "scheduleId. Timing is exactly one of cron (Spring's 6-field CronExpression, seconds first, read "
                    + "in timeZone, UTC by default) or everyMs (at least 1000; the first run one period after creation). "
                    + "overlap says what a due time does while the previous run is active: SKIP (default: nothing, "
                    + "recorded as a SKIPPED run), ALLOW, or CANCEL_PREVIOUS (Task.cancel the previous run, then "
                    + "start). A job the registry refuses (full, a quota) is recorded as a REFUSED run.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = ScheduleRequest.class), examples = {
                                @ExampleObject(name = "every", summary = "every 10 seconds, skipping while the last run is active",
                                        value = "{\"name\": \"heartbeat\", \"everyMs\": 10000, \"job\": {\"type\": \"sleep\", \"params\": {\"durationMs\": 1000}}}"),
                                @ExampleObject(name = "cron", summary = "at 09:00 on weekdays in Berlin, the previous run cancelled",
                                        value = "{\"name\": \"morning-report\", \"cron\": \"0 0 9 * * MON-FRI\", \"timeZone\": \"Europe/Berlin\", \"job\": {\"type\": \"fetch\", \"params\": {\"urls\": [\"http://localhost:8080/sim/delay/200\"]}, \"timeoutMs\": 30000, \"retry\": {\"maxAttempts\": 3, \"backoffMs\": 1000}}, \"overlap\": \"CANCEL_PREVIOUS\"}"),
                                @ExampleObject(name = "paused", summary = "every 5 minutes, created paused",
                                        value = "{\"name\": \"cleanup\", \"cron\": \"0 */5 * * * *\", \"job\": {\"type\": \"sleep\", \"params\": {\"durationMs\": 100}}, \"paused\": true}")})))
    @ApiResponse(responseCode = "201", description = "Created; Location names the schedule",
            headers = @Header(name = "Location", description = "/api/schedules/{id}",
                    schema = @Schema(implementation = String.class, format = "uri-reference")))
    @ApiResponse(responseCode = "400", description = "The problem names the field: a bad cron or timeZone, both or "
            + "neither of cron and everyMs, everyMs under 1000, an unknown overlap, or the job's type, params, "
            + "timeoutMs or retry invalid as POST /api/jobs would say (under job.)")
    @ApiResponse(responseCode = "413", description = "Body larger than the configured cap")
    @ApiResponse(responseCode = "415", description = "Body not application/json")
    @ApiResponse(responseCode = "429", description = "The caller owns asyncpatterns.schedules.max-per-caller schedules "
            + "(quota schedules.max-per-caller), or asyncpatterns.schedules.max-total exist (schedules-full)",
            headers = @Header(name = "Retry-After", description = "seconds", schema = @Schema(implementation = Integer.class)))
    Mono<ResponseEntity<ScheduleView>> create(@Valid @RequestBody ScheduleRequest request, UriComponentsBuilder uris,
            Principal principal) {
        Schedule schedule = definitions.define(request, owner(principal), clock.instant());
        return store.create(schedule, Boolean.TRUE.equals(request.paused())).map(created -> {
            URI location = uris.pathSegment("api", "schedules", created.id().toString()).build().toUri();
            return ResponseEntity.created(location).body(created);
        });
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List the caller's schedules",
            description = "The loop's pending call_at timers that repeat, oldest schedule first, each with its "
                    + "nextRunAt and its newest runs (each run's job state read live, as await would see it).")
    @ApiResponse(responseCode = "200", description = "The schedules")
    Mono<ScheduleList> list(Principal principal) {
        return store.list(caller(principal)).map(ScheduleList::new);
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Get a schedule",
            description = "One repeating asyncio loop.call_at: its timing, nextRunAt (null while paused) and lastRuns, newest "
                    + "first (at least 10 kept): {jobId, scheduledFor, state} with the job's state read live, as await task "
                    + "would see it; a due "
                    + "time that started nothing has no jobId and state SKIPPED or REFUSED, with a detail.")
    @ApiResponse(responseCode = "200", description = "The schedule")
    @ApiResponse(responseCode = "404", description = NOT_FOUND)
    Mono<ScheduleView> get(@PathVariable String id, Principal principal) {
        return store.get(id, caller(principal));
    }

    @PostMapping(path = "/{id}/pause", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Pause a schedule",
            description = "asyncio's TimerHandle.cancel() on the pending loop.call_at: no runs while paused; runs already "
                    + "started go on. Pausing a paused schedule changes nothing.")
    @ApiResponse(responseCode = "200", description = "The schedule, paused")
    @ApiResponse(responseCode = "404", description = NOT_FOUND)
    Mono<ScheduleView> pause(@PathVariable String id, Principal principal) {
        return store.pause(id, caller(principal));
    }

    @PostMapping(path = "/{id}/resume", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Resume a schedule",
            description = "A new asyncio loop.call_at for the next due time after now: the times missed while paused are not "
                    + "replayed. Resuming a running schedule changes nothing.")
    @ApiResponse(responseCode = "200", description = "The schedule, running again")
    @ApiResponse(responseCode = "404", description = NOT_FOUND)
    Mono<ScheduleView> resume(@PathVariable String id, Principal principal) {
        return store.resume(id, caller(principal));
    }

    @PostMapping(path = "/{id}/trigger", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Run a schedule's job now",
            description = "asyncio.create_task of the schedule's job now, whatever its timing and pause: one run, "
                    + "recorded in lastRuns. SKIP does not hold a trigger back; CANCEL_PREVIOUS still cancels the "
                    + "previous run first. The next due time stays as it was.")
    @ApiResponse(responseCode = "202", description = "Started: the job, with scheduleId")
    @ApiResponse(responseCode = "404", description = NOT_FOUND)
    @ApiResponse(responseCode = "429", description = "The job registry is full or a per-caller quota is used up, as for POST /api/jobs",
            headers = @Header(name = "Retry-After", description = "seconds", schema = @Schema(implementation = Integer.class)))
    @ApiResponse(responseCode = "503", description = "Shutting down: no new jobs")
    Mono<JobView> trigger(@PathVariable String id, Principal principal) {
        return store.trigger(id, caller(principal));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a schedule",
            description = "asyncio's TimerHandle.cancel() for good: the schedule is forgotten; jobs it started go on (cancel "
                    + "them with Task.cancel, POST /api/jobs/{id}/cancel).")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = NOT_FOUND)
    Mono<Void> delete(@PathVariable String id, Principal principal) {
        return store.delete(id, caller(principal));
    }

    private static String owner(Principal principal) {
        return principal != null ? principal.getName() : null;
    }

    private static JobCaller caller(Principal principal) {
        return new JobCaller(owner(principal), false);
    }
}
