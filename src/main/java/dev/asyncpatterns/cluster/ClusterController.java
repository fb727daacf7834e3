package dev.asyncpatterns.cluster;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/** Section 8 of API.md: the instances sharing the job store. */
@RestController
@RequestMapping("/api/cluster")
@Tag(name = "Cluster", description = "Several instances as one service on PostgreSQL")
class ClusterController {

    private final ClusterMembership membership;

    ClusterController(ClusterMembership membership) {
        this.membership = membership;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The instances sharing the job store",
            description = "Who can run an asyncio Task here: the store (memory or postgres), the answering instance "
                    + "and every instance that joined, with its last heartbeat, state (UP, DRAINING, STOPPED, LOST) "
                    + "and running jobs.")
    @ApiResponse(responseCode = "200", description = "The cluster")
    @ApiResponse(responseCode = "503", description = "The job store's database is unreachable",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    Mono<ClusterStatus> cluster() {
        return membership.status();
    }
}
