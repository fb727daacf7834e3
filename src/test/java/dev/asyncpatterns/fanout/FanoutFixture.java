package dev.asyncpatterns.fanout;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import dev.asyncpatterns.outbound.CallPolicies;
import dev.asyncpatterns.outbound.OutboundProperties;
import dev.asyncpatterns.outbound.UrlAllowlist;

/**
 * The fan-out pipelines wired by hand against a {@link VirtualUpstream}, for pipeline tests: no
 * network and no wall clock, so build each pipeline inside {@code StepVerifier.withVirtualTime}.
 */
final class FanoutFixture {

    /** An anonymous caller; the fixture has no quota, so who asks changes nothing. */
    static final FanoutCaller CALLER = new FanoutCaller(null, null);

    /** Bounds each {@code verify}: virtual time runs at once, so this only turns a hang into a failure. */
    static final Duration VERIFY = Duration.ofSeconds(10);

    final VirtualUpstream upstream = new VirtualUpstream(Duration.ofSeconds(10), Duration.ofSeconds(30));
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final GatherPipeline gather;
    final WaitPipeline wait;
    final FirstPipeline first;
    final StreamPipeline stream;

    FanoutFixture() {
        OutboundProperties outbound = new OutboundProperties(List.of(VirtualUpstream.HOST), 64 * 1024,
                Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30), 2000, 10_000,
                Duration.ofSeconds(10), Duration.ofSeconds(30), 3);
        FanoutPlanner planner = new FanoutPlanner(
                new FanoutProperties(1000, 1000, Duration.ofSeconds(30), Duration.ofSeconds(60)),
                new UrlAllowlist(outbound), upstream.client(),
                new StaticListableBeanFactory().getBeanProvider(CallPolicies.class),
                new StaticListableBeanFactory().getBeanProvider(FanoutAdmission.class));
        FanoutCalls calls = new FanoutCalls(upstream.client(), meters);
        gather = new GatherPipeline(planner, calls);
        wait = new WaitPipeline(planner, calls);
        first = new FirstPipeline(planner, calls);
        stream = new StreamPipeline(planner, calls);
    }

    /** URLs on the virtual upstream, e.g. {@code urls("/delay/5000", "/status/500/300")}. */
    static List<String> urls(String... paths) {
        return Arrays.stream(paths).map(VirtualUpstream::url).toList();
    }

    /** A JSON request body from alternating keys and values, e.g. {@code body("urls", urls, "concurrency", 2)}. */
    static Map<String, Object> body(Object... keysAndValues) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            body.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return body;
    }

    /** A first or stream request for these URLs, with an optional whole-operation timeout. */
    static CallsRequest calls(List<String> urls, Long timeoutMs) {
        return new CallsRequest(urls, null, null, timeoutMs, null, null);
    }

    /** Calls counted in {@code asyncpatterns.fanout.calls} with this outcome. */
    double calls(String outcome) {
        var counter = meters.find("asyncpatterns.fanout.calls").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
