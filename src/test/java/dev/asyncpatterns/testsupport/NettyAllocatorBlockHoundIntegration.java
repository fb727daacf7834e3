package dev.asyncpatterns.testsupport;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Teaches BlockHound one Netty 4.2.18 internal that Netty's own integration misses: when a
 * response is written from a non-event-loop thread (a Reactor timer on {@code parallel-N}, as
 * every {@code Mono.delay} answer is) and the adaptive allocator grows under contention, a
 * magazine is freed under a {@code StampedLock} write lock held for a few instructions. That is
 * not a blocking call in the sense BlockHound guards, but it fails tests at random. Drop this
 * once the Netty pin moves to a version whose integration covers it. Loaded by BlockHound through
 * {@code META-INF/services}.
 */
public class NettyAllocatorBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "free");
    }
}
