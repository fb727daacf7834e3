package dev.asyncpatterns;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The async-patterns service: Python asyncio's patterns (tasks, cancellation, gather, queues,
 * locks, timeouts, rate limiting, retries, graceful shutdown) as an observable HTTP service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AsyncPatternsApplication {

    public static void main(String[] args) {
        SpringApplication.run(AsyncPatternsApplication.class, args);
    }
}
