package dev.asyncpatterns.tcp;

/**
 * Which hosts {@code POST /api/tcp/echo} may connect to. A seam: the outbound allowlist
 * ({@code dev.asyncpatterns.outbound}) is meant to implement it, so HTTP and TCP share one list.
 */
public interface TcpHostPolicy {

    /** Whether connecting to {@code host} is allowed. */
    boolean allows(String host);
}
