package dev.asyncpatterns.jobs;

import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.validation.Validation;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Builds a registry outside Spring with small, explicit bounds. */
final class JobRegistryFixture {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private JobRegistryFixture() {
    }

    static JobsProperties properties(int maxActive, int retainCount, long retainAgeMs, long maxWaitMs, long graceMs) {
        return new JobsProperties(maxActive, 7, new JobsProperties.Retention(retainCount, retainAgeMs), maxWaitMs,
                graceMs, 100, 500, 15_000);
    }

    static JobRegistry registry(JobsProperties properties, SimpleMeterRegistry meters, JobType<?>... types) {
        JobParamsBinder binder = new JobParamsBinder(MAPPER,
                Validation.buildDefaultValidatorFactory().getValidator());
        JobRegistry registry = new JobRegistry(List.of(types), binder, properties, meters);
        registry.start();
        return registry;
    }

    static JobRequest request(String type, String paramsJson, Long timeoutMs) {
        ObjectNode params = paramsJson == null ? null : (ObjectNode) MAPPER.readTree(paramsJson);
        return new JobRequest(type, params, timeoutMs, null);
    }
}
