package dev.asyncpatterns.runtime;

import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Makes the validator load its message bundles at startup. Hibernate Validator reads them from
 * the class path the first time it interpolates a message, which would otherwise happen inside
 * the first request that fails validation, on a Netty event loop: a blocking file read on the
 * loop (BlockHound fails it in tests; in production it stalls that loop once).
 */
@Component
public class ValidationWarmup implements SmartInitializingSingleton {

    private final Validator validator;

    ValidationWarmup(Validator validator) {
        this.validator = validator;
    }

    @Override
    public void afterSingletonsInstantiated() {
        validator.validate(new Probe(null));
    }

    /** One violation is enough: the bundles are loaded once and cached per locale. */
    private record Probe(@NotNull String value) {
    }
}
