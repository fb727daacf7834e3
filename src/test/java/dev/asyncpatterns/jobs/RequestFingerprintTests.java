package dev.asyncpatterns.jobs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Two bodies are one request when their parsed trees are equal, whatever their field order or spacing. */
class RequestFingerprintTests {

    private static RequestFingerprint of(String type, String params, Long timeoutMs) {
        return RequestFingerprint.of(JobRegistryFixture.request(type, params, timeoutMs), JobRegistryFixture.MAPPER);
    }

    @Test
    void fieldOrderAtAnyDepthDoesNotChangeTheFingerprint() {
        assertThat(of("fetch", "{\"urls\": [\"a\", \"b\"], \"opts\": {\"x\": 1, \"y\": {\"p\": 1, \"q\": 2}}}", 5L))
            .isEqualTo(of("fetch", "{\"opts\": {\"y\": {\"q\": 2, \"p\": 1}, \"x\": 1}, \"urls\": [\"a\", \"b\"]}", 5L));
    }

    @Test
    void anyDifferentValueOrArrayOrderChangesIt() {
        RequestFingerprint base = of("fetch", "{\"urls\": [\"a\", \"b\"]}", 5L);
        assertThat(base.sha256()).hasSize(64)
            .isNotEqualTo(of("fetch", "{\"urls\": [\"b\", \"a\"]}", 5L).sha256())
            .isNotEqualTo(of("fetch", "{\"urls\": [\"a\", \"b\"]}", 6L).sha256())
            .isNotEqualTo(of("sleep", "{\"urls\": [\"a\", \"b\"]}", 5L).sha256())
            .isNotEqualTo(of("fetch", "{\"urls\": [\"a\", \"b\"], \"extra\": null}", 5L).sha256());
    }
}
