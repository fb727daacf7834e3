package dev.asyncpatterns.testsupport;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Gives every {@code @AutoConfigureWebTestClient} client the {@link EagerResponseBodies} filter:
 * listed in this test class path's
 * {@code META-INF/spring/...AutoConfigureWebTestClient.imports}, it comes with the annotation
 * itself, so no test class can forget it.
 */
@AutoConfiguration
public class EagerResponseBodiesAutoConfiguration {

    @Bean
    WebTestClientBuilderCustomizer eagerResponseBodies() {
        return builder -> builder.filter(new EagerResponseBodies());
    }
}
