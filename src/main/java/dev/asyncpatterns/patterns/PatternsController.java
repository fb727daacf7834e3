package dev.asyncpatterns.patterns;

import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** §4 of the API: run one asyncio pattern and get its timeline. */
@RestController
@RequestMapping(path = "/api/patterns", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Patterns", description = "asyncio's primitives (TaskGroup, Semaphore, Lock, Event, Condition, Queue, "
        + "timeout, run_in_executor) run observably: every answer is a timeline a client can check itself.")
class PatternsController {

    private final PatternService service;

    PatternsController(PatternService service) {
        this.service = service;
    }

    @GetMapping
    @Operation(summary = "List the patterns", description = "The names accepted by POST /api/patterns/{name}, one per asyncio primitive: "
            + "asyncio.TaskGroup, Semaphore, Lock, Event, Condition, Queue, asyncio.timeout and run_in_executor.")
    Set<String> names() {
        return service.names();
    }

    @PostMapping("/{name}")
    @Operation(summary = "Run one asyncio pattern and get its timeline", description = """
            Runs the pattern on its own single-threaded loop (like asyncio's event loop) and answers \
            `{pattern, elapsedMs, summary, timeline}`. `timeline` lists every step as `{task, event, atMs, detail?}` \
            in the order it happened (equal `atMs` keep that order); `summary` is computed only from the timeline.

            * `taskgroup` — **asyncio.TaskGroup** `{tasks, failIndex?, taskMs}`: child i works (i+1)×taskMs; the \
            failing child fails when it would have finished, the group cancels the running siblings \
            (summary `failed`, `cancelled`, `completedAfterFailure` = 0).
            * `semaphore` — **asyncio.Semaphore** `{permits, tasks, taskMs}`: summary `maxConcurrent` ≤ permits, `fifo`.
            * `lock` — **asyncio.Lock** `{tasks, taskMs}`: summary `overlaps` = 0.
            * `event` — **asyncio.Event** `{waiters, setAfterMs}`: summary `resumedBeforeSet` = 0.
            * `condition` — **asyncio.Condition** `{producers, consumers, items}`: producers notify, consumers \
            `wait_for` a non-empty buffer; summary `consumedOnce`.
            * `queue` — **asyncio.Queue(maxsize)** `{items, producers, consumers, capacity, itemMs}`: summary \
            `maxDepth` ≤ capacity, `producerWaits`, `consumedOnce`.
            * `timeout` — **asyncio.timeout()** `{workMs, timeoutMs}`: the work is cancelled at the timeout and its \
            cleanup runs (summary `cancelledAtMs`, `cleanupRan`).
            * `executor` — **asyncio.to_thread / run_in_executor** `{blockingMs, cpuN}`: blocking and CPU work on \
            their pools; summary `offLoop` and the worst event-loop lag meanwhile.

            Every parameter is optional (defaults shown in the examples) and bounded; a run expected to take \
            longer than `asyncpatterns.patterns.max-run` is refused with 400 naming the field. \
            An unknown pattern name answers 404 problem JSON listing the known names.""")
    @ApiResponse(responseCode = "200", description = "The run's summary and timeline", content = @Content(
            examples = @ExampleObject(name = "semaphore", value = """
                    {"pattern":"semaphore","elapsedMs":201,
                     "summary":{"permits":1,"tasks":2,"completed":2,"maxConcurrent":1,"fifo":true},
                     "timeline":[{"task":"task-0","event":"waiting","atMs":0},{"task":"task-1","event":"waiting","atMs":0},
                     {"task":"task-0","event":"acquired","atMs":0},{"task":"task-0","event":"released","atMs":100},
                     {"task":"task-1","event":"acquired","atMs":100},{"task":"task-1","event":"released","atMs":201}]}""")))
    @ApiResponse(responseCode = "400", description = "A parameter is out of bounds, unknown or not an integer",
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "404", description = "No pattern by that name",
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "429", description = "Too many runs in progress (Retry-After)",
            content = @Content(mediaType = "application/problem+json"))
    Mono<PatternResult> run(
            @Parameter(description = "The pattern", schema = @Schema(allowableValues = { "taskgroup", "semaphore",
                    "lock", "event", "condition", "queue", "timeout", "executor" })) @PathVariable String name,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The pattern's parameters; all optional",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(type = "object"), examples = {
                                @ExampleObject(name = "taskgroup", value = "{\"tasks\":5,\"failIndex\":2,\"taskMs\":100}"),
                                @ExampleObject(name = "semaphore", value = "{\"permits\":3,\"tasks\":10,\"taskMs\":100}"),
                                @ExampleObject(name = "lock", value = "{\"tasks\":5,\"taskMs\":50}"),
                                @ExampleObject(name = "event", value = "{\"waiters\":5,\"setAfterMs\":200}"),
                                @ExampleObject(name = "condition", value = "{\"producers\":2,\"consumers\":3,\"items\":20}"),
                                @ExampleObject(name = "queue",
                                        value = "{\"items\":20,\"producers\":2,\"consumers\":2,\"capacity\":3,\"itemMs\":20}"),
                                @ExampleObject(name = "timeout", value = "{\"workMs\":1000,\"timeoutMs\":200}"),
                                @ExampleObject(name = "executor", value = "{\"blockingMs\":200,\"cpuN\":2000000}") }))
            @RequestBody(required = false) JsonNode params) {
        return service.run(name, params);
    }
}
