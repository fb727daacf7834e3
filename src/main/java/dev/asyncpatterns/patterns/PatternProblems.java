package dev.asyncpatterns.patterns;

import java.util.Collection;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.Problems;
import dev.asyncpatterns.web.ProblemTypes;

/** The problems {@code /api/patterns} answers beyond validation, each its own small exception. */
final class PatternProblems {

    private PatternProblems() {
    }

    /** 404: no pattern by that name; the detail lists the ones there are. */
    static final class PatternNotFoundException extends ErrorResponseException {

        PatternNotFoundException(String name, Collection<String> known) {
            super(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, ProblemTypes.PATTERN_NOT_FOUND, "Unknown pattern",
                    "No pattern named '" + name + "'; known patterns: " + String.join(", ", known)), null);
        }
    }

    /** 429: {@code asyncpatterns.patterns.max-concurrent-runs} runs are already going. */
    static final class TooManyRunsException extends ErrorResponseException {

        TooManyRunsException(int max) {
            super(HttpStatus.TOO_MANY_REQUESTS, Problems.of(HttpStatus.TOO_MANY_REQUESTS, ProblemTypes.TOO_MANY_PATTERN_RUNS,
                    "Too many pattern runs", max + " pattern runs are already in progress; retry shortly"), null);
            getHeaders().set("Retry-After", "1");
        }
    }

    /** 504: a run overstayed {@code asyncpatterns.patterns.max-run} and was cancelled. */
    static final class RunTimeoutException extends ErrorResponseException {

        RunTimeoutException(String name, long maxRunMs) {
            super(HttpStatus.GATEWAY_TIMEOUT, Problems.of(HttpStatus.GATEWAY_TIMEOUT, ProblemTypes.PATTERN_RUN_TIMEOUT, "Pattern run timed out",
                    "The " + name + " run took longer than " + maxRunMs + " ms and was cancelled"), null);
        }
    }
}
