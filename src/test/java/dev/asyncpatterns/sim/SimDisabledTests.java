package dev.asyncpatterns.sim;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.testsupport.WebSlice;

@Import(WebSlice.class)
@WebFluxTest(controllers = SimController.class, properties = "asyncpatterns.sim.enabled=false")
class SimDisabledTests {

    @Autowired
    private WebTestClient client;

    @Test
    void whenDisabledTheSimulatedUpstreamIsNotServed() {
        client.get().uri("/sim/delay/1").exchange().expectStatus().isNotFound();
    }
}
