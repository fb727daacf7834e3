package dev.asyncpatterns.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CallPoliciesTests {

    @Test
    void withoutAnyInstancesNoNamesMeansNoPolicy() {
        assertThat(CallPolicies.NONE.resolve(null, null)).isSameAs(CallPolicy.NONE);
    }

    @Test
    void withoutAnyInstancesANamedRateLimiterIsABadRequestNamingTheField() {
        assertThatThrownBy(() -> CallPolicies.NONE.resolve("fast", null))
            .isInstanceOfSatisfying(UnknownPolicyException.class, ex -> {
                assertThat(ex.getStatusCode().value()).isEqualTo(400);
                assertThat(ex.getBody().getDetail()).isEqualTo("rateLimiter: unknown rateLimiter instance 'fast'");
            });
    }

    @Test
    void withoutAnyInstancesANamedRetryIsABadRequestNamingTheField() {
        assertThatThrownBy(() -> CallPolicies.NONE.resolve(null, "twice"))
            .isInstanceOfSatisfying(UnknownPolicyException.class,
                    ex -> assertThat(ex.getBody().getDetail()).isEqualTo("retry: unknown retry instance 'twice'"));
    }
}
