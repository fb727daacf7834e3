package dev.asyncpatterns.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.test.web.reactive.server.WebTestClient;

import dev.asyncpatterns.AsyncPatternsApplication;
import dev.asyncpatterns.testsupport.EagerResponseBodies;

import static org.awaitility.Awaitility.await;

/**
 * An instance of the service in a child JVM (the test class path, {@code store=postgres}), so a
 * test can kill it the way an operating system does: {@link #kill()} is SIGKILL, no shutdown hook runs.
 */
final class ChildInstance implements AutoCloseable {

    private final Process process;
    private final WebTestClient client;

    private ChildInstance(Process process, int port) {
        this.process = process;
        this.client = EagerResponseBodies.bindToServer().baseUrl("http://127.0.0.1:" + port)
            .responseTimeout(Duration.ofSeconds(20)).build();
    }

    /**
     * Starts the JVM without waiting: start several, then {@link #awaitReady} each, so they boot in
     * parallel. {@code extraArguments} ({@code --key=value}) come last, so they win.
     */
    static ChildInstance launch(String database, String instanceId, String... extraArguments) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                AsyncPatternsApplication.class.getName(),
                // Not needed here, and building the OpenAPI document is a good part of a slow start.
                "--springdoc.api-docs.enabled=false", "--springdoc.swagger-ui.enabled=false",
                "--server.port=" + port,
                "--asyncpatterns.tcp.port=0",
                "--asyncpatterns.store=postgres",
                // The keys as the README documented them before asyncpatterns.cluster.*: they must keep working.
                "--asyncpatterns.instance-id=" + instanceId,
                "--asyncpatterns.jobs.lease-ttl-ms=1500",
                "--spring.r2dbc.url=" + SharedPostgres.r2dbcUrl(database),
                "--spring.r2dbc.username=postgres",
                "--spring.r2dbc.password=postgres"));
        command.addAll(List.of(extraArguments));
        File log = new File("target", "child-" + instanceId + ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
            return new ChildInstance(process, port);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    ChildInstance awaitReady(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
            .until(() -> client.get().uri("/actuator/health/readiness").exchange()
                .returnResult(String.class).getStatus().is2xxSuccessful());
        return this;
    }

    WebTestClient client() {
        return client;
    }

    /** SIGKILL: the instance vanishes mid-job, its leases simply stop being renewed. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM: a clean shutdown (Spring's graceful stop runs); returns once the JVM exited. */
    void terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the child JVM did not exit within " + timeout);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
