package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.AsyncPatternsApplication;

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
        this.client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
            .responseTimeout(Duration.ofSeconds(20)).build();
    }

    static ClusterNode start(String database, String instanceId, String... extraProperties) {
        List<String> properties = new ArrayList<>(List.of(
                "server.port=0",
                "asyncpatterns.tcp.port=0",
                "asyncpatterns.store=postgres",
                "asyncpatterns.instance-id=" + instanceId,
                "asyncpatterns.jobs.lease-ttl-ms=1500",
                "spring.r2dbc.url=" + SharedPostgres.r2dbcUrl(database),
                "spring.r2dbc.username=postgres",
                "spring.r2dbc.password=postgres"));
        properties.addAll(List.of(extraProperties));
        // Command-line arguments, so they outrank application.yml (server.port=8080) as in production.
        return new ClusterNode(new SpringApplicationBuilder(AsyncPatternsApplication.class)
            .run(properties.stream().map(property -> "--" + property).toArray(String[]::new)));
    }

    WebTestClient client() {
        return client;
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
