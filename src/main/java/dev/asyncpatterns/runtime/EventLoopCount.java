package dev.asyncpatterns.runtime;

import java.util.Properties;

import reactor.netty.ReactorNetty;

/**
 * One event loop per core for Reactor Netty's global resources: the web server's loops (and the
 * timers and lag probe that share them) and R2DBC's. Reactor Netty defaults to at least four
 * whatever the cores; on two cores the extra loops only take turns on them, and a request whose
 * loop is waiting for a core waits with it. In bench W3 (32 connections on 2 cores, alternated with
 * the jar from before this choice, 5 reps) the p99 of {@code POST /api/jobs} fell in every rep, 11.2 to
 * 9.9 ms at the median, at the same rate; the GET's p99 nearly halved, and its rate fell by about 8%
 * (bench/README.md, eleventh round). One loop lost a quarter of the POST's rate. Machines with
 * four cores or more get the same count as before.
 *
 * <p>Reactor Netty reads the count once, when its loop resources are first loaded, from the system
 * property {@value ReactorNetty#IO_WORKER_COUNT}; hence {@code main} sets it before Spring starts,
 * and only where the command line has not (docs/configuration.md). The name is a compile-time
 * constant, so naming it here loads no Netty class.
 */
public final class EventLoopCount {

    private EventLoopCount() {
    }

    /** Sets the count to the JVM's available processors, unless it is set already. */
    public static void defaultToOnePerCore() {
        defaultTo(System.getProperties(), Runtime.getRuntime().availableProcessors());
    }

    static void defaultTo(Properties properties, int cores) {
        if (properties.getProperty(ReactorNetty.IO_WORKER_COUNT) == null) {
            properties.setProperty(ReactorNetty.IO_WORKER_COUNT, Integer.toString(cores));
        }
    }
}
