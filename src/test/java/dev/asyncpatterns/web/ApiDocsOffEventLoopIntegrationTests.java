package dev.asyncpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * With the document cache off, every {@code /v3/api-docs} request builds the document in the
 * request's own thread, so the customizer below sees where a request would wait on springdoc's lock.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "springdoc.cache.disabled=true", "springdoc.pre-loading-enabled=false" })
@AutoConfigureWebTestClient
class ApiDocsOffEventLoopIntegrationTests {

    private static final Set<String> BUILDER_THREADS = ConcurrentHashMap.newKeySet();

    @Autowired
    private WebTestClient client;

    @Test
    void theOpenApiDocumentIsBuiltOnTheBlockingSchedulerNotAnEventLoop() {
        // Building the whole document takes seconds on a busy machine.
        client.mutate().responseTimeout(Duration.ofSeconds(60)).build()
            .get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody(Void.class);

        assertThat(BUILDER_THREADS).isNotEmpty().allMatch(name -> name.startsWith("ap-blocking"), "ap-blocking thread");
    }

    @TestConfiguration
    static class RecordBuilderThread {
        @Bean
        OpenApiCustomizer recordBuilderThread() {
            return openApi -> BUILDER_THREADS.add(Thread.currentThread().getName());
        }
    }
}
