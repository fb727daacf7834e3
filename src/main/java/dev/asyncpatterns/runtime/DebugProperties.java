package dev.asyncpatterns.runtime;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Reactor's debug mode ({@code asyncpatterns.debug.*}), the counterpart of asyncio's
 * {@code PYTHONASYNCIODEBUG=1}.
 *
 * @param enabled whether {@code Hooks.onOperatorDebug()} records an assembly traceback for every
 *     operator, so errors show where their pipeline was built; costly, for debugging only
 */
@ConfigurationProperties("asyncpatterns.debug")
public record DebugProperties(@DefaultValue("false") boolean enabled) {
}
