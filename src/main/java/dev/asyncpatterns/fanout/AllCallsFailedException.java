package dev.asyncpatterns.fanout;

import java.util.List;

import org.springframework.http.HttpStatus;

import dev.asyncpatterns.outbound.CallResult;
import dev.asyncpatterns.web.ProblemTypes;

/** {@code first} found no successful call: 502 listing every call's error, in request order. */
class AllCallsFailedException extends FanoutException {

    AllCallsFailedException(List<CallResult> failures) {
        super(HttpStatus.BAD_GATEWAY, ProblemTypes.ALL_CALLS_FAILED, "Every call failed",
                "all " + failures.size() + " call(s) failed");
        getBody().setProperty("errors", failures);
    }
}
