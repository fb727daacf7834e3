package dev.asyncpatterns.jobs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.validation.Validation;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.unit.DataSize;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import dev.asyncpatterns.callbacks.CallbackDeliveries;
import dev.asyncpatterns.callbacks.CallbacksProperties;
import dev.asyncpatterns.outbound.OutboundClient;
import dev.asyncpatterns.outbound.OutboundProperties;
import dev.asyncpatterns.outbound.UrlAllowlist;
import dev.asyncpatterns.runtime.LoopTimers;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Builds a registry outside Spring with small, explicit bounds. */
final class JobRegistryFixture {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private JobRegistryFixture() {
    }

    /** Stops the registry as the context would, and checks the stop completed within {@code seconds}. */
    static void stop(JobRegistry registry, int seconds) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        registry.stop(stopped::countDown);
        assertThat(stopped.await(seconds, TimeUnit.SECONDS)).as("the registry stopped within %d s", seconds).isTrue();
    }

    static JobsProperties properties(int maxActive, int retainCount, long retainAgeMs, long maxWaitMs, long graceMs) {
        return properties(maxActive, retainCount, retainAgeMs, maxWaitMs, graceMs, 1_000);
    }

    static JobsProperties properties(int maxActive, int retainCount, long retainAgeMs, long maxWaitMs, long graceMs,
            int maxScheduled) {
        return new JobsProperties(maxActive, 7, new JobsProperties.Retention(retainCount, Duration.ofMillis(retainAgeMs)),
                Duration.ofMillis(maxWaitMs), Duration.ofMillis(graceMs), 100, 500, Duration.ofSeconds(15), Duration.ofHours(24),
                DataSize.ofMegabytes(64), maxScheduled);
    }

    /** A started registry with no per-caller admissions. */
    static JobRegistry registry(JobsProperties properties, SimpleMeterRegistry meters, JobType<?>... types) {
        return registry(properties, meters, admissions(), types);
    }

    /** A started registry that runs {@code admissions} in their order before every job. */
    static JobRegistry registry(JobsProperties properties, SimpleMeterRegistry meters,
            ObjectProvider<JobAdmission> admissions, JobType<?>... types) {
        JobRegistry registry = new JobRegistry(List.of(types), binder(), properties, meters, admissions,
                callbacks(meters), MAPPER, new LoopTimers(List::of));
        registry.start();
        return registry;
    }

    /** Deliveries to localhost receivers, tried at most twice. */
    static CallbackDeliveries callbacks(SimpleMeterRegistry meters) {
        OutboundProperties outbound = new OutboundProperties(List.of("127.0.0.1", "localhost"), 64 * 1024,
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(30), 10, 100, Duration.ofSeconds(10),
                Duration.ofSeconds(30), 0);
        UrlAllowlist allowlist = new UrlAllowlist(outbound);
        CallbackDeliveries deliveries = new CallbackDeliveries(new CallbacksProperties("whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY", 2, Duration.ofSeconds(5),
                Duration.ofMillis(10), Duration.ofMillis(100), 10, Duration.ofSeconds(1)), allowlist,
                new OutboundClient(outbound, allowlist, MAPPER), meters);
        deliveries.start();
        return deliveries;
    }

    static JobParamsBinder binder() {
        return new JobParamsBinder(MAPPER, Validation.buildDefaultValidatorFactory().getValidator());
    }

    /** The admissions as Spring hands them to the registry, in the order given. */
    static ObjectProvider<JobAdmission> admissions(JobAdmission... inOrder) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        for (int i = 0; i < inOrder.length; i++) {
            beans.addBean("admission" + i, inOrder[i]);
        }
        return beans.getBeanProvider(JobAdmission.class);
    }

    static JobRequest request(String type, String paramsJson, Long timeoutMs) {
        ObjectNode params = paramsJson == null ? null : (ObjectNode) MAPPER.readTree(paramsJson);
        return new JobRequest(type, params, timeoutMs, null);
    }
}
