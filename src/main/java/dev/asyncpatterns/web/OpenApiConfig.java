package dev.asyncpatterns.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.function.server.ServerResponse;

import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document's title, version and introduction (served at {@code /v3/api-docs}, shown
 * by Swagger UI), and how types the schema generator cannot read are described.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    static {
        // Jackson 3's JsonNode is free-form JSON (job params, an upstream's body); read as a bean
        // it would show as an object of isArray/isNumber-style flags.
        SpringDocUtils.getConfig()
            .replaceWithSchema(JsonNode.class, new JsonSchema().description("Any JSON value"))
            // /sim/bytes streams raw text chunks.
            .replaceWithSchema(DataBuffer.class, new StringSchema())
            // A router function's handler returns a ServerResponse; its @RouterOperation says what it answers.
            .addResponseTypeToIgnore(ServerResponse.class);
    }

    private static final String DESCRIPTION = """
            Python's asyncio patterns as an HTTP service: background jobs (`asyncio.create_task`, \
            `Task.cancel`, `await task`), fan-out (`gather`, `wait`, `as_completed`, hedging), \
            resilient calls (rate limiting, retry with backoff, circuit breaker), the asyncio \
            primitives with observable timelines, a TCP echo server and client, and a simulated \
            upstream under `/sim` that every example calls, so each one works as-is against a \
            service on `localhost:8080`.

            Every error is RFC 9457 `application/problem+json`; bad input answers 400 naming the field.
            Operations: `/actuator/health`, `/actuator/info`, `/actuator/prometheus`.""";

    @Bean
    OpenApiCustomizer problemResponsesCustomizer() {
        return new ProblemResponsesCustomizer();
    }

    @Bean
    OpenAPI asyncPatternsOpenApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        String version = properties != null && properties.getVersion() != null ? properties.getVersion() : "dev";
        return new OpenAPI().info(new Info()
            .title("async-patterns")
            .version(version)
            .description(DESCRIPTION)
            .contact(new Contact().name("async-patterns maintainers")));
    }
}
