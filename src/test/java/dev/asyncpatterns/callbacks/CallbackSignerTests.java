package dev.asyncpatterns.callbacks;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Expected signatures were computed apart from this code, with Python's hmac and base64 modules. */
class CallbackSignerTests {

    /**
     * The first row is the test vector of the Standard Webhooks specification's own libraries; the
     * second: key = bytes(range(1, 25)), hmac.new(key, b'msg_42_1.1700000000.' + body, sha256), base64.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw|msg_p5jXN8AQM9LWM0D4loKWxJek|1614265330|{\"test\": 2432232314}|v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY|msg_42_1|1700000000|{\"id\":\"42\",\"state\":\"SUCCEEDED\"}|v1,UQ8B709tkQsfiOGygBQxmy4lOGhvs6a1JEMbN8F9sjo="})
    void signsIdTimestampAndBodyAsStandardWebhooksSpecifies(String secret, String id, long timestamp, String body,
            String expected) {
        assertThat(CallbackSigner.of(secret).sign(id, timestamp, body.getBytes(StandardCharsets.UTF_8)))
            .isEqualTo(expected);
    }

    @Test
    void aGeneratedSecretSignsConsistently() {
        CallbackSigner signer = CallbackSigner.of(null);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        assertThat(signer.sign("msg_1", 1, body)).startsWith("v1,").isEqualTo(signer.sign("msg_1", 1, body))
            .isNotEqualTo(CallbackSigner.of(null).sign("msg_1", 1, body));
    }

    @Test
    void refusesASecretWithoutItsPrefix() {
        assertThatIllegalArgumentException().isThrownBy(() -> CallbackSigner.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
            .withMessageContaining("whsec_");
    }
}
