package dev.asyncpatterns.jobs;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import dev.asyncpatterns.callbacks.CallbackRequest;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/jobs}.
 *
 * @param type the job type: sleep, ticker, cpu, blocking, pipeline or fetch
 * @param params the type's parameters, bound to its params record and validated
 * @param timeoutMs bound on the whole job; past it the job is TIMED_OUT and its work stops. None when absent
 * @param name a free label for the caller's own use
 * @param onInstanceLoss with a shared job store: what happens to the job if its instance is lost
 *                       (FAIL or RERUN); the store's default when absent. The in-memory store has
 *                       no other instance and ignores it
 * @param runAt start no earlier than this instant ({@code loop.call_at}); the job waits SCHEDULED until then
 * @param delayMs start this many ms from now ({@code loop.call_later}), 0 to 30 days; not with {@code runAt}
 * @param retry whole-job retries with backoff; one attempt when absent
 * @param callback where to POST the job JSON, signed, when the job reaches its final state (API.md §12); none when absent
 */
public record JobRequest(
        @Schema(description = "Job type", example = "sleep") @NotBlank @Size(max = 64) String type,
        @Schema(description = "Parameters of the job type", example = "{\"durationMs\": 5000, \"steps\": 5}") JsonNode params,
        @Schema(description = "Bound on the whole job in ms; none when absent", example = "60000") @Min(1) @Max(MAX_TIMEOUT_MS) Long timeoutMs,
        @Schema(description = "Free label", example = "nightly") @Size(max = 200) String name,
        @Schema(description = "store=postgres: FAIL or RERUN when the owning instance is lost", example = "RERUN")
        InstanceLossPolicy onInstanceLoss,
        @Schema(description = "Start no earlier than this instant (loop.call_at), at most 30 days ahead; the job is "
                + "SCHEDULED until then. Not with delayMs", example = "2026-12-24T18:00:00Z") Instant runAt,
        @Schema(description = "Start this many ms from now (loop.call_later), 0 to 30 days; the job is SCHEDULED "
                + "until then. Not with runAt", example = "5000", minimum = "0", maximum = "2592000000") Long delayMs,
        @Schema(description = "Run the job again when an attempt ends FAILED (or a state of retryOn), after a "
                + "backoff; the job is SCHEDULED meanwhile") RetryPolicy retry,
        @Schema(description = "Receives the job JSON, signed per Standard Webhooks, when the job reaches its final state")
        @Valid CallbackRequest callback) {

    /** A request that leaves {@code onInstanceLoss} to the store's default. */
    public JobRequest(String type, JsonNode params, Long timeoutMs, String name) {
        this(type, params, timeoutMs, name, null);
    }

    /** A request that starts at once. */
    public JobRequest(String type, JsonNode params, Long timeoutMs, String name, InstanceLossPolicy onInstanceLoss) {
        this(type, params, timeoutMs, name, onInstanceLoss, null, null);
    }

    /** A request without retries or a callback. */
    public JobRequest(String type, JsonNode params, Long timeoutMs, String name, InstanceLossPolicy onInstanceLoss,
            Instant runAt, Long delayMs) {
        this(type, params, timeoutMs, name, onInstanceLoss, runAt, delayMs, null, null);
    }

    /** The retry policy with its defaults filled in (400 naming a bad field), null when the request has none. */
    public RetryPolicy retryPolicy() {
        return retry != null ? retry.normalized() : null;
    }

    /** One day: longer-lived work belongs in a scheduler, not in a request-started task. */
    public static final long MAX_TIMEOUT_MS = 86_400_000L;
}
