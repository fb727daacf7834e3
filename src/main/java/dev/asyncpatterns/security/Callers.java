package dev.asyncpatterns.security;

import java.net.InetSocketAddress;

import org.springframework.web.server.ServerWebExchange;

/** Who is calling, as the limits and the audit log name them: the authenticated name, else the client IP. */
final class Callers {

    /** Exchange attribute holding the authenticated caller's name (API key name or JWT subject). */
    static final String NAME = Callers.class.getName() + ".name";

    private Callers() {
    }

    /** The authenticated name, or null for an anonymous caller. */
    static String name(ServerWebExchange exchange) {
        return exchange.getAttribute(NAME);
    }

    /** The key a per-caller limit counts against: {@code name:<name>} or {@code ip:<address>}. */
    static String limitKey(ServerWebExchange exchange) {
        return limitKey(name(exchange), exchange.getRequest().getRemoteAddress());
    }

    /** {@link #limitKey(ServerWebExchange)} from a name (null when anonymous) and the client's address. */
    static String limitKey(String name, InetSocketAddress remote) {
        return name != null ? "name:" + name : "ip:" + ip(remote);
    }

    /** The client address without a DNS lookup. */
    static String ip(ServerWebExchange exchange) {
        return ip(exchange.getRequest().getRemoteAddress());
    }

    /** The address without a DNS lookup; {@code unknown} when there is none (an in-process caller). */
    static String ip(InetSocketAddress remote) {
        if (remote == null) {
            return "unknown";
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }

    /** How a refusal names the caller: {@code Caller 'alice'} or {@code Anonymous caller 10.0.0.7}. */
    static String describe(String name, InetSocketAddress remote) {
        return name != null ? "Caller '" + name + "'" : "Anonymous caller " + ip(remote);
    }
}
