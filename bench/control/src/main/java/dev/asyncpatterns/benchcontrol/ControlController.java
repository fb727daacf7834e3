package dev.asyncpatterns.benchcontrol;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The two requests W3 measures, answered the way a minimal app would: the job is not run (no
 * registry, no timer), only read and written. What is kept equal to the service is what the wire
 * sees and what the framework does with it: the same paths, the same request body bound to a record,
 * the same status codes, the same job JSON fields and Location header. Anything more (validation,
 * security, observation, the job itself) is the service's cost, which the comparison measures.
 */
@RestController
class ControlController {

    /** The body W3 posts: {@code {"type":"sleep","params":{"durationMs":1}}}. */
    record JobRequest(String type, SleepParams params) {
    }

    record SleepParams(long durationMs) {
    }

    /**
     * The service's job JSON (API.md section 1), field for field, as its answer to a fresh sleep job
     * has it (running, one step to go), within a few bytes: the service also echoes its default steps.
     */
    record Job(UUID id, String type, String name, String state, SleepParams params, Long timeoutMs,
               Progress progress, Object result, Object error, String cancelReason, Instant createdAt,
               Instant startedAt, Instant finishedAt, String createdBy) {
    }

    record Progress(long completed, Long total) {
    }

    /** The service's {@code /sim/status/{code}} body. */
    record Answered(int status) {
    }

    @PostMapping(path = "/api/jobs", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Job> create(@RequestBody JobRequest request, UriComponentsBuilder uris) {
        UUID id = randomId();
        Instant now = Instant.now();
        Job job = new Job(id, request.type(), null, "RUNNING", request.params(), null, new Progress(0, 1L),
                null, null, null, now, now, null, null);
        // Built as the service builds it, so both write the same absolute Location.
        URI location = uris.pathSegment("api", "jobs", id.toString()).build().toUri();
        return ResponseEntity.accepted().location(location).body(job);
    }

    /** A path variable, as the service's route has, so both match the same kind of pattern. */
    @GetMapping(path = "/sim/status/{code}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Answered> status(@PathVariable int code) {
        return ResponseEntity.status(code).body(new Answered(code));
    }

    /**
     * A version-4 UUID from ThreadLocalRandom, as the service's JobId does: UUID.randomUUID() would
     * serialise every request on SecureRandom's lock, a cost of the control the service does not pay.
     */
    private static UUID randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
