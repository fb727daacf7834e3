package dev.asyncpatterns.fanout;

import org.springframework.http.HttpStatus;

import dev.asyncpatterns.outbound.CallResult;
import dev.asyncpatterns.web.ProblemTypes;

/**
 * A gather with {@code returnExceptions: false} met its first failure and cancelled the rest
 * ({@code TaskGroup} semantics): 502 naming the failed call's index and url, with its error and
 * how many calls were cancelled or never started.
 */
public class GatherCallFailedException extends FanoutException {

    GatherCallFailedException(CallResult failure, int cancelled) {
        super(HttpStatus.BAD_GATEWAY, ProblemTypes.of("call-failed"), "A call failed",
                "urls[" + failure.index() + "] (" + failure.url() + ") failed with " + failure.error().type() + ": "
                        + failure.error().message() + "; " + cancelled + " other call(s) were cancelled");
        getBody().setProperty("index", failure.index());
        getBody().setProperty("url", failure.url());
        getBody().setProperty("error", failure.error());
        getBody().setProperty("cancelled", cancelled);
    }
}
