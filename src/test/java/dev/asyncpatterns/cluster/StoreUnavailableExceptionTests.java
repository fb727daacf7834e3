package dev.asyncpatterns.cluster;

import java.util.concurrent.TimeoutException;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.r2dbc.BadSqlGrammarException;
import org.springframework.r2dbc.UncategorizedR2dbcException;

import static org.assertj.core.api.Assertions.assertThat;

/** Only the database not answering is a 503; a bug in the service stays a bug. */
class StoreUnavailableExceptionTests {

    @Test
    void anUnreachableSlowOrBackloggedDatabaseIsAStoreFailure() {
        assertThat(StoreUnavailableException.isStoreFailure(
                new DataAccessResourceFailureException("Failed to obtain R2DBC Connection"))).isTrue();
        assertThat(StoreUnavailableException.isStoreFailure(new QueryTimeoutException("canceling statement"))).isTrue();
        assertThat(StoreUnavailableException.isStoreFailure(new R2dbcNonTransientResourceException("closed"))).isTrue();
        assertThat(StoreUnavailableException.isStoreFailure(new TimeoutException())).isTrue();
        assertThat(StoreUnavailableException.isStoreFailure(new GroupCommit.BacklogFullException(10))).isTrue();
    }

    /** As W7 met it: two instances' statements locking the same rows in different orders. */
    @Test
    void aDeadlockVictimIsAStoreFailureSoTheWriteIsRetried() {
        R2dbcTransientException deadlock = new R2dbcTransientException("deadlock detected", "40P01") {
        };

        assertThat(StoreUnavailableException.isStoreFailure(
                new UncategorizedR2dbcException("executeMany", "UPDATE jobs ...", deadlock))).isTrue();
        assertThat(StoreUnavailableException.isStoreFailure(
                new UncategorizedR2dbcException("executeMany", "UPDATE jobs ...", new R2dbcBadGrammarException())))
            .as("an uncategorized failure that is not transient stays a bug").isFalse();
    }

    @Test
    void aBugIsNotAStoreFailure() {
        assertThat(StoreUnavailableException.isStoreFailure(new NullPointerException())).isFalse();
        assertThat(StoreUnavailableException.isStoreFailure(new IllegalStateException())).isFalse();
        assertThat(StoreUnavailableException.isStoreFailure(
                new BadSqlGrammarException("list", "SELECT * FROM jbos", new R2dbcBadGrammarException()))).isFalse();
        assertThat(StoreUnavailableException.isStoreFailure(new DataIntegrityViolationException("duplicate id")))
            .isFalse();
    }
}
