package dev.asyncpatterns.cluster;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;

/**
 * This process as a member of the cluster.
 *
 * @param id {@code asyncpatterns.instance-id}, or host name and pid
 * @param startedAt when this instance started
 */
public record LocalInstance(String id, Instant startedAt) {

    /** Resolved once at start-up, on the main thread: the host name lookup may block. */
    static LocalInstance of(ClusterProperties properties) {
        String id = properties.instanceId();
        if (id == null || id.isBlank()) {
            id = hostName() + "-" + ProcessHandle.current().pid();
        }
        return new LocalInstance(id, Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            return "localhost";
        }
    }
}
