package dev.asyncpatterns.runtime;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Commons Logging, the API Spring logs through, onto SLF4J as commons-logging's own SLF4J bridge
 * does, except that a message becomes a string only when its level is on. Spring hands
 * {@code debug} and {@code trace} lazy messages ({@code LogMessage}) and counts on the bridge to
 * check the level first; commons-logging 1.3's bridge calls {@code String.valueOf} on every message
 * and leaves the level to Logback. With credentials configured, Spring Security's path matchers
 * formatted such a line, which nobody saw, several times on every request, about 9 µs of a
 * {@code POST /api/jobs} (bench/README.md, twelfth round).
 *
 * <p>Commons Logging finds this factory with the {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.apache.commons.logging.LogFactory}) before its own defaults.
 */
public final class LevelCheckingLogFactory extends LogFactory {

    private final ConcurrentMap<String, Log> logs = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Object> attributes = new ConcurrentHashMap<>();

    /** For the {@link java.util.ServiceLoader}. */
    public LevelCheckingLogFactory() {
    }

    @Override
    public Log getInstance(Class<?> clazz) {
        return getInstance(clazz.getName());
    }

    @Override
    public Log getInstance(String name) {
        return logs.computeIfAbsent(name, key -> new LevelCheckingLog(LoggerFactory.getLogger(key)));
    }

    @Override
    public @Nullable Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public String[] getAttributeNames() {
        return attributes.keySet().toArray(String[]::new);
    }

    @Override
    public void removeAttribute(String name) {
        attributes.remove(name);
    }

    @Override
    public void setAttribute(String name, @Nullable Object value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    /**
     * Forgets the wrappers made so far. Unlike commons-logging's bridge it does not stop Logback's
     * logger context: the service's own logging goes through SLF4J directly and must go on.
     */
    @Override
    public void release() {
        logs.clear();
    }
}
