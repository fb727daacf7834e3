package dev.asyncpatterns.sim;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.asyncpatterns.web.BadRequestException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The simulated upstream, {@code /sim/**}: a small httpbin inside the service so every example
 * works with nothing else running. Off with {@code asyncpatterns.sim.enabled=false}.
 * {@code /sim/status/{code}} is {@link StatusRoute}'s.
 */
@RestController
@RequestMapping("/sim")
@ConditionalOnBooleanProperty(name = "asyncpatterns.sim.enabled", matchIfMissing = true)
@Tag(name = SimController.TAG, description = "httpbin-like endpoints the fan-out and resilience examples call "
        + "(asyncio's stand-in for a remote service: a slow answer is an `asyncio.sleep`, never a sleeping thread).")
@ApiResponse(responseCode = "400", description = "A parameter is out of range; the problem names it",
        content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
class SimController {

    static final String TAG = "Simulated upstream";

    private static final int CHUNK = 8192;
    private static final byte[] PATTERN = pattern();

    private final SimProperties properties;
    private final FlakyOutcomes flaky;

    SimController(SimProperties properties) {
        this.properties = properties;
        this.flaky = new FlakyOutcomes(properties.flakySeeds());
    }

    @GetMapping("/delay/{ms}")
    @Operation(summary = "Answer after a delay",
            description = "Waits `ms` milliseconds on a timer (`await asyncio.sleep(ms / 1000)`), then answers "
                    + "`{\"delayedMs\": ms}`. At most `asyncpatterns.sim.max-delay` (60 s by default).")
    Mono<Delayed> delay(@Parameter(example = "200") @PathVariable long ms) {
        long maxMs = properties.maxDelay().toMillis();
        if (ms < 0 || ms > maxMs) {
            throw new BadRequestException("ms", "must be between 0 and " + maxMs);
        }
        return Mono.delay(Duration.ofMillis(ms)).thenReturn(new Delayed(ms));
    }

    @GetMapping("/flaky")
    @Operation(summary = "Fail some of the time",
            description = "The upstream for retry-with-backoff (`await asyncio.sleep(backoff)` between attempts): fails with 503 for a share `failureRate` (0–1) of calls, else answers 200. With a `seed`, "
                    + "the outcomes are a fixed sequence per seed: the n-th call with seed 42 always has the same "
                    + "outcome, so a retry demo is repeatable. The answer says which call of the seed it was.")
    ResponseEntity<Flaky> flaky(@Parameter(example = "0.5") @RequestParam(defaultValue = "0.5") double failureRate,
            @Parameter(example = "42") @RequestParam(required = false) @Nullable Long seed) {
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new BadRequestException("failureRate", "must be between 0 and 1");
        }
        FlakyOutcomes.Outcome outcome = flaky.next(failureRate, seed);
        Flaky body = new Flaky(!outcome.failed(), seed, outcome.call());
        return ResponseEntity.status(outcome.failed() ? 503 : 200).body(body);
    }

    @GetMapping(value = "/bytes/{n}", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "Answer with a body of n bytes",
            description = "A large body for the outbound body cap (what `await response.content.read(limit)` guards): streams `n` bytes of text (a repeating alphabet) in 8 KiB chunks with a Content-Length, "
                    + "at most `asyncpatterns.sim.max-bytes` (4 MiB by default, four times the outbound body cap: "
                    + "ask for more than the cap to see `TOO_LARGE`).")
    ResponseEntity<Flux<DataBuffer>> bytes(@Parameter(example = "1024") @PathVariable long n) {
        if (n < 0 || n > properties.maxBytes()) {
            throw new BadRequestException("n", "must be between 0 and " + properties.maxBytes());
        }
        int size = (int) n;
        Flux<DataBuffer> body = Flux.range(0, (size + CHUNK - 1) / CHUNK)
            .map(i -> DefaultDataBufferFactory.sharedInstance
                .wrap(ByteBuffer.wrap(PATTERN, 0, Math.min(CHUNK, size - i * CHUNK))));
        return ResponseEntity.ok().contentLength(n).contentType(MediaType.TEXT_PLAIN).body(body);
    }

    private static byte[] pattern() {
        byte[] alphabet = "abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[CHUNK];
        for (int i = 0; i < CHUNK; i++) {
            chunk[i] = alphabet[i % alphabet.length];
        }
        return chunk;
    }

    /** {@code /sim/delay} answers how long it waited. */
    record Delayed(long delayedMs) {
    }

    /**
     * {@code /sim/flaky}'s answer.
     *
     * @param ok whether this call succeeded
     * @param seed the seed asked for, if any
     * @param call which call this was for the seed (1-based); 0 without a seed
     */
    record Flaky(boolean ok, @Nullable Long seed, long call) {
    }
}
