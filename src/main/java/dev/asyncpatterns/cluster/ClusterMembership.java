package dev.asyncpatterns.cluster;

import reactor.core.publisher.Mono;

/** Who is in the cluster, for {@code GET /api/cluster}; one implementation per store. */
interface ClusterMembership {

    Mono<ClusterStatus> status();
}
