package dev.asyncpatterns.security;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One running service with API keys and a JWT issuer (with an audience) configured, shared by
 * the access-control test classes through Spring's context cache.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
abstract class SecuredContext {

    @Autowired
    protected WebTestClient client;

    @DynamicPropertySource
    static void credentials(DynamicPropertyRegistry registry) {
        SecurityFixtures.apiKeys(registry);
        SecurityFixtures.jwtIssuer(registry);
    }
}
