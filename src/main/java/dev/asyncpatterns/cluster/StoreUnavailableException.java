package dev.asyncpatterns.cluster;

import java.util.concurrent.TimeoutException;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.UncategorizedR2dbcException;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.ProblemTypes;
import dev.asyncpatterns.web.Problems;

/** The shared job store's database did not answer in time: 503, try again shortly. */
public class StoreUnavailableException extends ErrorResponseException {

    public StoreUnavailableException(Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, Problems.of(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.STORE_UNAVAILABLE,
                "Job store unavailable", "The job store's database did not answer; try again shortly."), cause);
        getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
    }

    /**
     * Whether a failure is the database not answering, which a client may retry (503): it could
     * not be reached, the connection was lost, the server cancelled a statement past the statement
     * timeout, the writes queue up faster than it commits them, or it aborted the statement as
     * transient (a deadlock's victim, a serialization failure: the same statement again succeeds).
     * Anything else (bad SQL, a violated constraint, a null where a value belongs) is a bug and must
     * surface as one.
     */
    public static boolean isStoreFailure(Throwable failure) {
        // Spring's DatabaseClient translates driver exceptions; the driver's own reach here only untranslated.
        return failure instanceof DataAccessResourceFailureException || failure instanceof TransientDataAccessException
                || failure instanceof RecoverableDataAccessException || failure instanceof R2dbcTransientException
                || failure instanceof R2dbcNonTransientResourceException || failure instanceof TimeoutException
                || failure instanceof GroupCommit.BacklogFullException
                // The driver reports a deadlock (40P01) as a plain transient exception, which Spring
                // does not categorize: two jobs' rows written by two statements in different orders.
                || failure instanceof UncategorizedR2dbcException && failure.getCause() instanceof R2dbcTransientException;
    }
}
