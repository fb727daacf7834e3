package dev.asyncpatterns.benchcontrol;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * W3's control (bench/README.md): Spring Boot WebFlux with nothing of the service's own, started
 * by the benchmark exactly as it starts the service ({@code java -Xmx512m -jar} plus
 * {@code SERVICE_JAVA_OPTS}, {@code --server.address=127.0.0.1 --server.port=<free>}), so the
 * gap between the two is what the service adds to the framework.
 */
@SpringBootApplication
public class ControlApplication {

    public static void main(String[] args) {
        SpringApplication.run(ControlApplication.class, args);
    }
}
