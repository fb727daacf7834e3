package dev.asyncpatterns.outbound;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

/**
 * The outcome of one outbound call, a result in every fan-out answer. Failures are values, not
 * errors: a call's {@code Mono} always emits one of these (unless it is cancelled), so one slow or
 * broken upstream never turns into an exception that tears down its siblings by accident.
 *
 * <p>Success: {@code {index, url, ok: true, status, body, elapsedMs}}; failure:
 * {@code {index, url, ok: false, error: {type, message, status?}, elapsedMs}}. Null fields are
 * left out of the JSON.
 *
 * @param index position of the URL in the request
 * @param url the URL as the caller wrote it
 * @param ok whether the call got a 2xx response whose body could be read
 * @param status the HTTP status of a successful call
 * @param body a successful call's body: JSON when the response said JSON, else text; absent when empty
 * @param error why the call failed, for a failed one
 * @param elapsedMs time from the start of the call to its outcome
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CallResult(int index, String url, boolean ok, @Nullable Integer status, @Nullable JsonNode body,
        @Nullable CallError error, long elapsedMs) {

    /** A 2xx response and its body. */
    public static CallResult success(int index, String url, int status, @Nullable JsonNode body, long elapsedMs) {
        return new CallResult(index, url, true, status, body, null, elapsedMs);
    }

    /** A failed call. */
    public static CallResult failure(int index, String url, CallError error, long elapsedMs) {
        return new CallResult(index, url, false, null, null, error, elapsedMs);
    }

    /** A call that was cancelled (or never started) because the operation around it ended first. */
    public static CallResult cancelled(int index, String url, String why, long elapsedMs) {
        return failure(index, url, CallError.of(CallErrorType.CANCELLED, why), elapsedMs);
    }

    /** Whether this call failed with the given type; false for a successful call. */
    @JsonIgnore
    public boolean failedWith(CallErrorType type) {
        return error != null && error.type() == type;
    }
}
