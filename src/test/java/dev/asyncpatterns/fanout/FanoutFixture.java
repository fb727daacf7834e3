package dev.asyncpatterns.fanout;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import dev.asyncpatterns.outbound.CallPolicies;
import dev.asyncpatterns.outbound.OutboundClient;
import dev.asyncpatterns.outbound.OutboundProperties;
import dev.asyncpatterns.outbound.UrlAllowlist;
import dev.asyncpatterns.testsupport.RecordingUpstream;
import tools.jackson.databind.json.JsonMapper;

/** The fan-out pipelines wired by hand against a {@link RecordingUpstream}, for pipeline tests. */
final class FanoutFixture implements AutoCloseable {

    /** An anonymous caller; the fixture has no quota, so who asks changes nothing. */
    static final FanoutCaller CALLER = new FanoutCaller(null, null);

    final RecordingUpstream upstream = RecordingUpstream.start();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final OutboundClient client;
    final GatherPipeline gather;
    final WaitPipeline wait;
    final FirstPipeline first;
    final StreamPipeline stream;

    FanoutFixture() {
        OutboundProperties outbound = new OutboundProperties(List.of("127.0.0.1:" + upstream.port()), 64 * 1024,
                Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30), 2000, 10_000,
                Duration.ofSeconds(10), Duration.ofSeconds(30), 3);
        UrlAllowlist allowlist = new UrlAllowlist(outbound);
        client = new OutboundClient(outbound, allowlist, JsonMapper.builder().build());
        FanoutPlanner planner = new FanoutPlanner(
                new FanoutProperties(1000, 1000, Duration.ofSeconds(30), Duration.ofSeconds(60)), allowlist, client,
                new StaticListableBeanFactory().getBeanProvider(CallPolicies.class),
                new StaticListableBeanFactory().getBeanProvider(FanoutAdmission.class));
        FanoutCalls calls = new FanoutCalls(client, meters);
        gather = new GatherPipeline(planner, calls);
        wait = new WaitPipeline(planner, calls);
        first = new FirstPipeline(planner, calls);
        stream = new StreamPipeline(planner, calls);
        // A cold JVM takes its time over the first call; tests time the calls after it.
        client.fetch(0, allowlist.check(0, upstream.url("/delay/0"))).block(Duration.ofSeconds(30));
        upstream.reset();
    }

    /** URLs on the upstream, e.g. {@code urls("/delay/5000", "/status/500")}. */
    List<String> urls(String... paths) {
        return Arrays.stream(paths).map(upstream::url).toList();
    }

    /** A first or stream request for these URLs, with an optional whole-operation timeout. */
    static CallsRequest calls(List<String> urls, Long timeoutMs) {
        return new CallsRequest(urls, null, null, timeoutMs, null, null);
    }

    double calls(String outcome) {
        var counter = meters.find("asyncpatterns.fanout.calls").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        client.destroy();
        upstream.close();
    }
}
