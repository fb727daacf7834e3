package dev.asyncpatterns.fanout;

import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;

/**
 * Who makes a fan-out request, for per-caller admission.
 *
 * @param name the authenticated caller's name (API key name or JWT subject), null when anonymous
 * @param address the client's address, by which anonymous callers are told apart; null when unknown
 */
public record FanoutCaller(@Nullable String name, @Nullable InetSocketAddress address) {
}
