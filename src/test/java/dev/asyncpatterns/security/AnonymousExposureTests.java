package dev.asyncpatterns.security;

import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.AsyncPatternsApplication;
import dev.asyncpatterns.testsupport.EagerResponseBodies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service refuses to serve anonymous callers on a non-loopback address: told to listen on
 * every interface with no credential it does not start, and says in one log line what to set;
 * {@code allow-anonymous=true} overrides; a configured credential makes it safe anywhere.
 */
@ExtendWith(OutputCaptureExtension.class)
class AnonymousExposureTests {

    private static final String[] COMMON = {"server.port=0", "asyncpatterns.tcp.port=0", "spring.main.banner-mode=off",
        "springdoc.pre-loading-enabled=false"};

    /** Starts the application with these properties as command-line arguments, which outrank application.yml. */
    private static ConfigurableApplicationContext run(String... properties) {
        String[] args = Stream.concat(Stream.of(COMMON), Stream.of(properties)).map(property -> "--" + property)
            .toArray(String[]::new);
        return new SpringApplicationBuilder(AsyncPatternsApplication.class).run(args);
    }

    @Test
    void listeningOnEveryAddressWithoutCredentialsRefusesToStartWithOneLineSayingWhatToSet(CapturedOutput output) {
        assertThatThrownBy(() -> run("server.address=0.0.0.0").close())
            .hasRootCauseInstanceOf(AnonymousExposureException.class)
            .rootCause().hasMessageContaining("asyncpatterns.security.api-keys[0].name")
            .hasMessageContaining("server.address=127.0.0.1")
            .hasMessageContaining("asyncpatterns.security.allow-anonymous=true");
        long lines = output.getAll().lines()
            .filter(line -> line.contains("ERROR") && line.contains("Refusing to start: server.address is 0.0.0.0"))
            .count();
        assertThat(lines).isEqualTo(1);
        assertThat(output.getAll()).doesNotContainPattern(Pattern.compile("Netty started on port"));
    }

    @Test
    void allowAnonymousLetsAnExposedServiceStartAndServeAnonymousCallers(CapturedOutput output) {
        try (ConfigurableApplicationContext context = run("server.address=0.0.0.0",
                "asyncpatterns.security.allow-anonymous=true")) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            EagerResponseBodies.bindToServer().baseUrl("http://127.0.0.1:" + port).build()
                .get().uri("/api/patterns").exchange().expectStatus().isOk().expectBody(Void.class);
        }
        assertThat(output.getAll()).contains("Serving anonymous callers on 0.0.0.0");
    }

    @Test
    void withAKeyConfiguredAnExposedServiceStartsAndEveryApiCallNeedsIt() {
        try (ConfigurableApplicationContext context = run("server.address=0.0.0.0",
                "asyncpatterns.security.api-keys[0].name=ops",
                "asyncpatterns.security.api-keys[0].key-sha256=" + SecurityFixtures.sha256Hex("ops-key"),
                "asyncpatterns.security.api-keys[0].roles=reader")) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            WebTestClient client = EagerResponseBodies.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
            client.get().uri("/api/patterns").exchange().expectStatus().isUnauthorized().expectBody(Void.class);
            client.get().uri("/api/patterns").header("X-API-Key", "ops-key").exchange().expectStatus().isOk().expectBody(Void.class);
            client.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody(Void.class);
        }
    }

    @Test
    void onLoopbackWithNothingConfiguredAnonymousCallersRunEverything() {
        try (ConfigurableApplicationContext context = run()) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            WebTestClient client = EagerResponseBodies.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
            client.get().uri("/api/jobs").exchange().expectStatus().isOk()
                .expectHeader().doesNotExist("WWW-Authenticate");
            client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(Void.class);
        }
    }
}
