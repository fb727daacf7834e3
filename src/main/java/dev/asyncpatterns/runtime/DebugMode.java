package dev.asyncpatterns.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Hooks;

/**
 * Turns Reactor's debug mode on at startup when {@code asyncpatterns.debug.enabled=true}: like
 * {@code PYTHONASYNCIODEBUG=1}, every error then carries the traceback of where its operators were
 * assembled. It captures a stack trace per operator assembly, which costs CPU and memory on
 * every request, so it is off by default. The hook is global to the JVM, so it is reset when the
 * context closes.
 */
@Component
public class DebugMode implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DebugMode.class);

    private final boolean enabled;

    public DebugMode(DebugProperties properties) {
        this.enabled = properties.enabled();
        if (enabled) {
            Hooks.onOperatorDebug();
            log.warn("Reactor debug mode is ON (asyncpatterns.debug.enabled): every operator records its "
                    + "assembly stack trace; expect much slower pipelines. Do not use in production.");
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void destroy() {
        if (enabled) {
            Hooks.resetOnOperatorDebug();
        }
    }
}
