package dev.asyncpatterns.fanout;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.Problems;

/**
 * A fan-out operation that ended without its answer: rendered as a problem whose properties say
 * which calls failed or were cancelled. Its message is the problem's detail, so a job that fails
 * with it reports something readable.
 */
abstract class FanoutException extends ErrorResponseException {

    FanoutException(HttpStatus status, URI type, String title, String detail) {
        super(status, Problems.of(status, type, title, detail), null);
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }
}
