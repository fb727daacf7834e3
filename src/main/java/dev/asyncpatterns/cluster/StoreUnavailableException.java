package dev.asyncpatterns.cluster;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.ProblemTypes;
import dev.asyncpatterns.web.Problems;

/** The shared job store's database did not answer in time: 503, try again shortly. */
class StoreUnavailableException extends ErrorResponseException {

    StoreUnavailableException(Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, Problems.of(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.STORE_UNAVAILABLE, "Job store unavailable",
                "The job store's database did not answer; try again shortly."), cause);
        getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
    }
}
