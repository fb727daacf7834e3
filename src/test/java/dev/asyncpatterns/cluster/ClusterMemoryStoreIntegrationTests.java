package dev.asyncpatterns.cluster;

import java.util.Map;

import javax.sql.DataSource;

import io.r2dbc.spi.ConnectionFactory;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** With the default store nothing of the database exists, the job JSON is unchanged and the cluster is this instance. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ClusterMemoryStoreIntegrationTests {

    @Autowired
    private WebTestClient client;

    @Autowired
    private ApplicationContext context;

    @Test
    void theMemoryStoreStartsNoDatabaseMachinery() {
        assertThat(context.getBeanNamesForType(ConnectionFactory.class)).isEmpty();
        assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
        assertThat(context.getBeanNamesForType(Flyway.class)).isEmpty();
        assertThat(context.getBeanNamesForType(PostgresJobStore.class)).isEmpty();
    }

    @Test
    void aJobOfTheMemoryStoreHasNoInstanceOrAttempt() {
        client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("type", "sleep", "params", Map.of("durationMs", 0)))
            .exchange()
            .expectStatus().isAccepted()
            .expectBody().jsonPath("$.instanceId").doesNotExist().jsonPath("$.attempt").doesNotExist();
    }

    @Test
    void onInstanceLossIsAcceptedAndAnUnknownValueIsABadRequest() {
        client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("type", "sleep", "params", Map.of("durationMs", 0), "onInstanceLoss", "RERUN"))
            .exchange()
            .expectStatus().isAccepted();
        client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("type", "sleep", "params", Map.of("durationMs", 0), "onInstanceLoss", "SOMETIMES"))
            .exchange()
            .expectStatus().isBadRequest();
    }

    @Test
    void theClusterOfTheMemoryStoreIsThisInstanceAlone() {
        client.get().uri("/api/cluster").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.store").isEqualTo("memory")
            .jsonPath("$.instances.length()").isEqualTo(1)
            .jsonPath("$.instances[0].state").isEqualTo("UP")
            .jsonPath("$.instances[0].id").value(id -> assertThat(id.toString()).isNotBlank());
    }
}
