package dev.asyncpatterns.security;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One per-caller quota ({@code asyncpatterns.security.quota.<name>}): how much of something
 * (active jobs, outbound calls in flight, CPU work) each caller holds right now, and the 429 past
 * the limit. Callers are told apart as the rate limiter does: by API key name or JWT subject, by
 * client IP when anonymous. Every refusal counts in
 * {@code asyncpatterns.security.quota.rejections{quota}}.
 *
 * <p>A caller has an entry only while it holds something, so the map is bounded by the work in
 * flight (active jobs and running requests, both bounded), not by how many callers were ever
 * seen. Check-and-add is one {@link ConcurrentHashMap#compute}: a short per-bin lock, never a
 * wait, safe on an event loop.
 */
final class CallerQuota {

    /** What an unlimited quota, or an admission that reserves nothing, gives back. */
    static final Runnable NOTHING = () -> { };

    private static final String PREFIX = "asyncpatterns.security.quota.";

    private final String name;
    private final Long limit;
    private final String unit;
    private final String hint;
    private final Counter rejections;
    private final Map<String, Long> held = new ConcurrentHashMap<>();

    /**
     * @param name the quota's name as configured and as the 429 names it, e.g. {@code max-urls-in-flight}
     * @param limit the most one caller may hold; null turns the quota off
     * @param unit what is counted, as a refusal says it, e.g. {@code outbound calls in flight}
     * @param hint what a refused caller can do, e.g. {@code wait for a request to finish or cancel one}
     */
    CallerQuota(String name, Long limit, String unit, String hint, MeterRegistry meters) {
        this.name = name;
        this.limit = limit;
        this.unit = unit;
        this.hint = hint;
        this.rejections = Counter.builder("asyncpatterns.security.quota.rejections")
            .description("Requests refused with 429 because a per-caller quota was used up, by quota")
            .tag("quota", name)
            .register(meters);
    }

    /**
     * Reserves {@code amount} for the caller, or throws {@link QuotaExceededException} and holds
     * nothing. Returns what gives the amount back; running it more than once gives it back once.
     *
     * @param caller the caller's name, null when anonymous
     * @param address the client's address, which tells anonymous callers apart
     */
    Runnable acquire(String caller, InetSocketAddress address, long amount) {
        if (limit == null || amount <= 0) {
            return NOTHING;
        }
        String key = Callers.limitKey(caller, address);
        long[] inUse = new long[1];
        boolean[] admitted = new boolean[1];
        held.compute(key, (k, current) -> {
            long now = current == null ? 0 : current;
            inUse[0] = now;
            // Subtracting, not adding: amount + now cannot overflow past the limit this way.
            admitted[0] = amount <= limit - now;
            return admitted[0] ? Long.valueOf(now + amount) : current;
        });
        if (!admitted[0]) {
            rejections.increment();
            throw refusal(Callers.describe(caller, address), inUse[0], amount);
        }
        AtomicBoolean given = new AtomicBoolean();
        return () -> {
            if (given.compareAndSet(false, true)) {
                held.computeIfPresent(key, (k, current) -> current - amount <= 0 ? null : current - amount);
            }
        };
    }

    private QuotaExceededException refusal(String who, long inUse, long amount) {
        String detail = amount > limit
                ? who + " asks for " + amount + " " + unit + " at once, more than " + PREFIX + name + " (" + limit
                        + ") allows; ask for less."
                : who + " already holds " + inUse + " of the " + limit + " " + unit + " " + PREFIX + name
                        + " allows and asks for " + amount + " more; " + hint + ".";
        return new QuotaExceededException(name, limit, inUse, amount, detail);
    }
}
