package dev.asyncpatterns.testsupport;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

import dev.asyncpatterns.runtime.RuntimeProperties;
import dev.asyncpatterns.runtime.ValidationWarmup;
import dev.asyncpatterns.runtime.WorkSchedulers;

/**
 * What every {@code @WebFluxTest} slice imports beside its controller: the beans a slice does not
 * scan but the web layer it does include needs. The work schedulers are what the API-docs web
 * filter runs on; the validator warm-up keeps the first failed validation from reading message
 * bundles on the event loop (BlockHound would fail that request with a 500).
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties(RuntimeProperties.class)
@Import({WorkSchedulers.class, ValidationWarmup.class})
public class WebSlice {
}
