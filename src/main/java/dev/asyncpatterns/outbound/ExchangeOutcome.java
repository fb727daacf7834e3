package dev.asyncpatterns.outbound;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

/** What one HTTP exchange came to: the call's outcome, or a redirect to follow next. */
sealed interface ExchangeOutcome permits ExchangeOutcome.Success, ExchangeOutcome.Failure, ExchangeOutcome.Redirect {

    /** The outcome as the call's result; a redirect is followed, never reported. */
    default CallResult toResult(int index, String url, long elapsedMs) {
        if (this instanceof Success success) {
            return CallResult.success(index, url, success.status(), success.body(), elapsedMs);
        }
        if (this instanceof Failure failure) {
            return CallResult.failure(index, url, failure.error(), elapsedMs);
        }
        throw new IllegalStateException("a redirect is followed, never reported");
    }

    /** A 2xx answer and its decoded body, null when it had none. */
    record Success(int status, @Nullable JsonNode body) implements ExchangeOutcome {
    }

    record Failure(CallError error) implements ExchangeOutcome {
    }

    record Redirect(URI location) implements ExchangeOutcome {
    }
}
