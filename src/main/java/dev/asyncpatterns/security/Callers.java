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
        String name = name(exchange);
        return name != null ? "name:" + name : "ip:" + ip(exchange);
    }

    /** The client address without a DNS lookup. */
    static String ip(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        if (remote == null) {
            return "unknown";
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }
}
