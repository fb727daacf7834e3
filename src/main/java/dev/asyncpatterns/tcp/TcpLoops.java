package dev.asyncpatterns.tcp;

import java.time.Duration;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import reactor.netty.resources.LoopResources;

/**
 * The event loops of the TCP echo server and client, owned by the application instead of
 * Reactor Netty's global TCP resources, which nothing disposes: their threads were still waiting
 * in {@code epoll_wait} when the JVM exited, and HotSpot waits up to 300 ms for threads in native
 * code before it exits. These are stopped, and waited for, when the context closes, after the
 * server has stopped.
 */
@Component
class TcpLoops implements DisposableBean {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final LoopResources loops = LoopResources.create("ap-tcp", 1, 2, true);

    LoopResources loops() {
        return loops;
    }

    /** No quiet period: the server has stopped and the web server with it, so no echo can start. */
    @Override
    public void destroy() {
        loops.disposeLater(Duration.ZERO, STOP_TIMEOUT).block(STOP_TIMEOUT.multipliedBy(2));
    }
}
