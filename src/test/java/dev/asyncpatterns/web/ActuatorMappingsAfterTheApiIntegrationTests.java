package dev.asyncpatterns.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webflux.actuate.endpoint.web.WebFluxEndpointHandlerMapping;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

/**
 * The service's mappings are asked before the actuator's, and the actuator's still before the
 * static resources that map every path: the actuator's endpoints answer as before.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class ActuatorMappingsAfterTheApiIntegrationTests {

    @Autowired
    private DispatcherHandler dispatcher;

    @Autowired
    private WebTestClient client;

    @Test
    void theServicesMappingsComeFirstThenTheActuatorsThenStaticResources() {
        List<Class<?>> order = dispatcher.getHandlerMappings().stream().<Class<?>>map(HandlerMapping::getClass).toList();

        assertThat(order.indexOf(RequestMappingsByFirstSegment.Mapping.class))
            .isNotNegative()
            .isLessThan(order.indexOf(WebFluxEndpointHandlerMapping.class));
        assertThat(order.indexOf(WebFluxEndpointHandlerMapping.class)).isLessThan(order.indexOf(SimpleUrlHandlerMapping.class));
    }

    @Test
    void theActuatorStillAnswersUnderItsPaths() {
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
            .expectBody().jsonPath("$.status").isEqualTo("UP");
        client.get().uri("/actuator/metrics/jvm.threads.live").exchange().expectStatus().isOk()
            .expectBody().jsonPath("$.name").isEqualTo("jvm.threads.live");
        client.post().uri("/actuator/health").exchange().expectStatus().isEqualTo(405).expectBody(Void.class);
    }
}
