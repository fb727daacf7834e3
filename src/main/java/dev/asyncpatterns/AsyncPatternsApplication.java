package dev.asyncpatterns;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import dev.asyncpatterns.runtime.EventLoopCount;

/**
 * The async-patterns service: Python asyncio's patterns (tasks, cancellation, gather, queues,
 * locks, timeouts, rate limiting, retries, graceful shutdown) as an observable HTTP service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AsyncPatternsApplication {

    public static void main(String[] args) {
        EventLoopCount.defaultToOnePerCore(); // before any Netty class reads it
        SpringApplication.run(AsyncPatternsApplication.class, args);
    }
}
