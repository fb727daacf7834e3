package dev.asyncpatterns.cluster;

import java.time.Instant;
import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import dev.asyncpatterns.jobs.JobRegistry;
import reactor.core.publisher.Mono;

/** The memory store's cluster: this instance alone, alive as long as it answers. */
@Component
@ConditionalOnProperty(name = StoreEnvironment.STORE, havingValue = StoreEnvironment.MEMORY, matchIfMissing = true)
class SingleInstanceMembership implements ClusterMembership {

    private final LocalInstance self;
    private final JobRegistry registry;

    SingleInstanceMembership(LocalInstance self, JobRegistry registry) {
        this.self = self;
        this.registry = registry;
    }

    @Override
    public Mono<ClusterStatus> status() {
        return Mono.fromSupplier(() -> new ClusterStatus("memory", self.id(),
                List.of(new ClusterStatus.Member(self.id(), self.startedAt(), Instant.now(),
                        registry.isAccepting() ? "UP" : "DRAINING", registry.activeCount()))));
    }
}
