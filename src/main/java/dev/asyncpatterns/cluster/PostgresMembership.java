package dev.asyncpatterns.cluster;

import reactor.core.publisher.Mono;

/** The postgres store's cluster: every instance that heartbeats into the {@code instances} table. */
final class PostgresMembership implements ClusterMembership {

    private final InstanceRows instances;
    private final LocalInstance self;

    PostgresMembership(InstanceRows instances, LocalInstance self) {
        this.instances = instances;
        this.self = self;
    }

    @Override
    public Mono<ClusterStatus> status() {
        return instances.instances().collectList()
            .map(members -> new ClusterStatus("postgres", self.id(), members))
            .onErrorMap(StoreUnavailableException::isStoreFailure, StoreUnavailableException::new);
    }
}
