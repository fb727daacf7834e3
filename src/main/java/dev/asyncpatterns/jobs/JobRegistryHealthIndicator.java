package dev.asyncpatterns.jobs;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The task registry as health component {@code jobRegistry}: UP while it accepts jobs,
 * OUT_OF_SERVICE once shutdown began, so the readiness group stops routing new work here.
 */
@Component
class JobRegistryHealthIndicator implements HealthIndicator {

    private final JobRegistry registry;

    JobRegistryHealthIndicator(JobRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Health health() {
        Health.Builder health = registry.isAccepting() ? Health.up() : Health.outOfService();
        return health.withDetail("active", registry.activeCount())
            .withDetail("maxActive", registry.maxActive())
            .build();
    }
}
