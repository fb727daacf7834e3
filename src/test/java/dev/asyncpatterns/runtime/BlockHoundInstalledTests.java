package dev.asyncpatterns.runtime;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Guards the guard: if BlockHound stopped being installed, every "never blocks" claim would be untested. */
class BlockHoundInstalledTests {

    @Test
    void blockingOnAParallelThreadFailsTheTest() {
        Mono<String> blocking = Mono.fromCallable(() -> {
            Thread.sleep(1);
            return "slept";
        }).subscribeOn(Schedulers.parallel());
        StepVerifier.create(blocking)
            .expectErrorMatches(e -> e instanceof BlockingOperationError)
            .verify(Duration.ofSeconds(5));
    }
}
