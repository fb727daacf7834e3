package dev.asyncpatterns.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Job ownership holds across instances: a job is its creator's on every instance, another
 * caller gets 404 for it everywhere (get, cancel, delete, events) and does not see it listed,
 * and a caller allowed to see everything finds it with {@code ?all=true}.
 */
class ClusterOwnershipIntegrationTests {

    private static final String ALICE = "alice-key-1f2e";
    private static final String BOB = "bob-key-3c4d";
    private static final String ADMIN = "admin-key-5a6b";

    private static ClusterNode a;
    private static ClusterNode b;

    @BeforeAll
    static void startCluster() {
        String database = SharedPostgres.newDatabase();
        String[] keys = keys();
        a = ClusterNode.start(database, "own-a", keys);
        b = ClusterNode.start(database, "own-b", keys);
    }

    @AfterAll
    static void stopCluster() {
        b.close();
        a.close();
    }

    @Test
    void aJobIsItsCreatorsOnEveryInstanceAndNobodyElses() {
        String id = a.client().post().uri("/api/jobs").header("X-API-Key", ALICE)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("type", "ticker", "params", Map.of("intervalMs", 100)))
            .exchange()
            .expectStatus().isAccepted()
            .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();

        b.client().get().uri("/api/jobs/{id}", id).header("X-API-Key", ALICE).exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.createdBy").isEqualTo("alice").jsonPath("$.instanceId").isEqualTo("own-a");
        b.client().get().uri("/api/jobs/{id}", id).header("X-API-Key", BOB).exchange().expectStatus().isNotFound();
        b.client().get().uri("/api/jobs/{id}/events", id).header("X-API-Key", BOB).accept(MediaType.TEXT_EVENT_STREAM)
            .exchange().expectStatus().isNotFound();
        b.client().post().uri("/api/jobs/{id}/cancel", id).header("X-API-Key", BOB).exchange()
            .expectStatus().isNotFound();
        b.client().delete().uri("/api/jobs/{id}", id).header("X-API-Key", BOB).exchange().expectStatus().isNotFound();
        List<?> bobs = b.client().get().uri("/api/jobs").header("X-API-Key", BOB).exchange()
            .expectStatus().isOk()
            .expectBody(Map.class).returnResult().getResponseBody().get("jobs") instanceof List<?> list ? list : null;
        assertThat(bobs).isEmpty();
        b.client().get().uri("/api/jobs?all=true").header("X-API-Key", ADMIN).exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.jobs[0].id").isEqualTo(id);

        b.client().post().uri("/api/jobs/{id}/cancel", id).header("X-API-Key", ALICE).exchange()
            .expectStatus().isAccepted()
            .expectBody().jsonPath("$.state").isEqualTo("CANCELLED");
    }

    private static String[] keys() {
        List<String> properties = new ArrayList<>();
        key(properties, 0, "alice", ALICE, "operator");
        key(properties, 1, "bob", BOB, "operator");
        key(properties, 2, "admin", ADMIN, "operator,monitor");
        return properties.toArray(String[]::new);
    }

    private static void key(List<String> properties, int index, String name, String key, String roles) {
        String prefix = "asyncpatterns.security.api-keys[" + index + "].";
        properties.add(prefix + "name=" + name);
        properties.add(prefix + "key-sha256=" + sha256(key));
        properties.add(prefix + "roles=" + roles);
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
