package dev.asyncpatterns.fanout;

import java.time.Duration;

import org.springframework.http.HttpStatus;

import dev.asyncpatterns.web.ProblemTypes;

/** The whole operation outlived its {@code timeoutMs}: 504, every call still running cancelled. */
class FanoutTimeoutException extends FanoutException {

    FanoutTimeoutException(Duration timeout, int completed, int total) {
        super(HttpStatus.GATEWAY_TIMEOUT, ProblemTypes.FANOUT_TIMEOUT, "Operation timed out",
                "timeoutMs (" + timeout.toMillis() + ") passed with " + completed + " of " + total
                        + " call(s) complete; the rest were cancelled");
        getBody().setProperty("timeoutMs", timeout.toMillis());
        getBody().setProperty("completed", completed);
        getBody().setProperty("cancelled", total - completed);
    }
}
