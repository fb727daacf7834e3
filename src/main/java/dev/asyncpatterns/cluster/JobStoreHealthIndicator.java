package dev.asyncpatterns.cluster;

import java.time.Duration;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;

import reactor.core.publisher.Mono;

/**
 * Health component {@code jobStore} (store=postgres only, and in the readiness group): UP while
 * the database answers, OUT_OF_SERVICE when it does not, so a load balancer stops sending work
 * here until it is back. The instance itself recovers on its own: the pool reconnects, LISTEN
 * re-listens, heartbeats resume.
 */
class JobStoreHealthIndicator implements ReactiveHealthIndicator {

    /** The component's name: the bean is {@code jobStoreHealthIndicator}. */
    static final String NAME = "jobStore";

    private final JobRows rows;
    private final LocalInstance self;
    private final JobNotifications notifications;

    JobStoreHealthIndicator(JobRows rows, LocalInstance self, JobNotifications notifications) {
        this.rows = rows;
        this.self = self;
        this.notifications = notifications;
    }

    @Override
    public Mono<Health> health() {
        return rows.ping()
            .map(ok -> Health.up())
            .timeout(Duration.ofSeconds(2))
            .onErrorResume(failure -> Mono.just(Health.outOfService().withDetail("error", failure.toString())))
            .map(health -> health.withDetail("store", "postgres")
                .withDetail("instanceId", self.id())
                .withDetail("listening", notifications.isConnected())
                .build());
    }
}
