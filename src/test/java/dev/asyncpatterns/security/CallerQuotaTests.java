package dev.asyncpatterns.security;

import java.net.InetSocketAddress;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import dev.asyncpatterns.web.ProblemTypes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CallerQuotaTests {

    private static final InetSocketAddress HOME = new InetSocketAddress("10.0.0.1", 50000);
    private static final InetSocketAddress OFFICE = new InetSocketAddress("10.0.0.2", 50000);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CallerQuota quota = new CallerQuota("max-things", 5L, "things", "give one back", meters);

    private double rejections() {
        return meters.get("asyncpatterns.security.quota.rejections").tag("quota", "max-things").counter().count();
    }

    @Test
    void aCallerMayHoldUpToTheLimitAndIsRefusedPastItNamingTheQuota() {
        quota.acquire("alice", HOME, 3);
        quota.acquire("alice", OFFICE, 2);

        QuotaExceededException refused = catchThrowableOfType(QuotaExceededException.class,
                () -> quota.acquire("alice", HOME, 1));

        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(refused.getBody().getType()).isEqualTo(ProblemTypes.QUOTA_EXCEEDED);
        assertThat(refused.getBody().getTitle()).isEqualTo("Quota exceeded: max-things");
        assertThat(refused.getBody().getProperties()).containsEntry("quota", "max-things").containsEntry("limit", 5L)
            .containsEntry("inUse", 5L).containsEntry("requested", 1L);
        assertThat(refused.getBody().getDetail()).contains("Caller 'alice'", "asyncpatterns.security.quota.max-things",
                "give one back");
        assertThat(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(rejections()).isEqualTo(1);
    }

    @Test
    void aRefusedRequestHoldsNothing() {
        quota.acquire("alice", HOME, 4);
        assertThatThrownBy(() -> quota.acquire("alice", HOME, 2)).isInstanceOf(QuotaExceededException.class);

        quota.acquire("alice", HOME, 1);
    }

    @Test
    void givingBackFreesTheAmountOnceHoweverOftenItRuns() {
        Runnable three = quota.acquire("alice", HOME, 3);
        quota.acquire("alice", HOME, 2);

        three.run();
        three.run();

        quota.acquire("alice", HOME, 3);
        assertThatThrownBy(() -> quota.acquire("alice", HOME, 1)).isInstanceOf(QuotaExceededException.class);
    }

    @Test
    void callersWithANameAreCountedByNameAndAnonymousCallersByIp() {
        quota.acquire("alice", HOME, 5);
        quota.acquire("bob", HOME, 5);
        quota.acquire(null, HOME, 5);
        quota.acquire(null, OFFICE, 5);

        QuotaExceededException refused = catchThrowableOfType(QuotaExceededException.class,
                () -> quota.acquire(null, HOME, 1));
        assertThat(refused.getBody().getDetail()).startsWith("Anonymous caller 10.0.0.1 already holds 5 of the 5 things");
    }

    @Test
    void aRequestAskingForMoreThanTheLimitAloneIsRefusedWithoutRetryAfter() {
        QuotaExceededException refused = catchThrowableOfType(QuotaExceededException.class,
                () -> quota.acquire("alice", HOME, 6));

        assertThat(refused.getBody().getDetail()).contains("asks for 6 things at once", "ask for less");
        assertThat(refused.getHeaders().containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
        quota.acquire("alice", HOME, 5);
    }

    @Test
    void anUnsetQuotaAdmitsEverythingAndCountsNothing() {
        CallerQuota off = new CallerQuota("max-things", null, "things", "give one back", meters);

        off.acquire("alice", HOME, Long.MAX_VALUE);
        off.acquire("alice", HOME, Long.MAX_VALUE);

        assertThat(rejections()).isZero();
    }

    @Test
    void hugeAmountsDoNotOverflowPastTheLimit() {
        CallerQuota large = new CallerQuota("max-large", Long.MAX_VALUE - 1, "units", "wait", meters);
        large.acquire("alice", HOME, Long.MAX_VALUE - 2);

        assertThatThrownBy(() -> large.acquire("alice", HOME, Long.MAX_VALUE - 2))
            .isInstanceOf(QuotaExceededException.class);
    }
}
