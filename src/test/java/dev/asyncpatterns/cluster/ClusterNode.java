package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.AsyncPatternsApplication;
import dev.asyncpatterns.testsupport.EagerResponseBodies;
import tools.jackson.databind.JsonNode;

/**
 * One instance of the service with {@code store=postgres}, started in this JVM on a free port
 * against a shared test database: several of them make a cluster.
 */
final class ClusterNode implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final WebTestClient client;

    private ClusterNode(ConfigurableApplicationContext context) {
        this.context = context;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.client = EagerResponseBodies.bindToServer().baseUrl("http://127.0.0.1:" + port)
            .responseTimeout(Duration.ofSeconds(20)).build();
    }

    static ClusterNode start(String database, String instanceId, String... extraProperties) {
        List<String> properties = new ArrayList<>(List.of(
                "server.port=0",
                "asyncpatterns.tcp.port=0",
                "asyncpatterns.store=postgres",
                "asyncpatterns.cluster.instance-id=" + instanceId,
                "asyncpatterns.cluster.lease-ttl=1500ms",
                "spring.r2dbc.url=" + SharedPostgres.r2dbcUrl(database),
                "spring.r2dbc.username=postgres",
                "spring.r2dbc.password=postgres"));
        for (String extra : extraProperties) {
            // An extra property replaces a default of the same key: given twice, Spring would bind "a,b".
            String key = extra.substring(0, extra.indexOf('=') + 1);
            properties.removeIf(property -> property.startsWith(key));
            properties.add(extra);
        }
        // Command-line arguments, so they outrank application.yml (server.port=8080) as in production.
        return new ClusterNode(new SpringApplicationBuilder(AsyncPatternsApplication.class)
            .run(properties.stream().map(property -> "--" + property).toArray(String[]::new)));
    }

    WebTestClient client() {
        return client;
    }

    /** {@code POST /api/jobs}, expecting 202; the job JSON. */
    JsonNode submit(Map<String, Object> request) {
        return client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON).bodyValue(request)
            .exchange()
            .expectStatus().isAccepted()
            .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** The beans that depend on the named one, which the context stops before it. */
    List<String> dependentsOf(String bean) {
        return List.of(context.getBeanFactory().getDependentBeans(bean));
    }

    @Override
    public void close() {
        context.close();
    }
}
