package dev.asyncpatterns.jobs.type;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.asyncpatterns.fanout.GatherCallFailedException;
import dev.asyncpatterns.fanout.GatherResponse;
import dev.asyncpatterns.jobs.JobContext;
import dev.asyncpatterns.jobs.JobCost;
import dev.asyncpatterns.testsupport.RecordingUpstream;
import dev.asyncpatterns.testsupport.RecordingUpstream.Fate;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** The fetch job type as the application wires it, run directly the way the registry runs it. */
@SpringBootTest
class FetchJobTypeTests {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Autowired
    private FetchJobType fetch;

    @Autowired
    private Validator validator;

    private final RecordingUpstream upstream = RecordingUpstream.start();
    private final RecordingContext context = new RecordingContext();

    @AfterEach
    void close() {
        upstream.close();
    }

    private FetchJobType.Params params(Boolean returnExceptions, String... paths) {
        List<String> urls = java.util.Arrays.stream(paths).map(upstream::url).toList();
        return new FetchJobType.Params(urls, null, null, returnExceptions);
    }

    @Test
    void itsQuotaCostIsTheMostCallsItCanHaveInFlight() {
        List<String> urls = List.of(upstream.url("/a"), upstream.url("/b"), upstream.url("/c"));

        assertThat(fetch.cost(new FetchJobType.Params(urls, null, null, null))).isEqualTo(new JobCost(0, 3));
        assertThat(fetch.cost(new FetchJobType.Params(urls, 2, null, null))).isEqualTo(new JobCost(0, 2));
        assertThat(fetch.cost(new FetchJobType.Params(urls, 10, null, null))).isEqualTo(new JobCost(0, 3));
    }

    @Test
    void theResultIsTheGatherResponseAndProgressCountsFinishedCalls() {
        GatherResponse response = fetch.run(params(null, "/delay/100", "/delay/1", "/delay/50"), context).block(WAIT);

        assertThat(response.succeeded()).isEqualTo(3);
        assertThat(response.results()).extracting(r -> r.index()).containsExactly(0, 1, 2);
        assertThat(context.progress).containsExactly("0/3", "1/3", "2/3", "3/3");
    }

    @Test
    void cancellingTheJobAbortsItsCallsAtTheUpstream() {
        Disposable job = fetch.run(params(null, "/delay/5000", "/delay/1", "/delay/5000"), context).subscribe();
        await().atMost(WAIT).until(() -> upstream.running() == 2 && upstream.completed() == 1);

        job.dispose();

        await().atMost(WAIT).untilAsserted(() -> assertThat(upstream.urisWith(Fate.ABORTED))
            .as("%s", upstream.snapshot()).containsExactly("/delay/5000", "/delay/5000"));
        assertThat(context.progress).containsExactly("0/3", "1/3");
    }

    @Test
    void aFailureFailsTheJobUnlessFailuresAreReturned() {
        StepVerifier.create(fetch.run(params(false, "/status/500", "/delay/1"), context))
            .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(GatherCallFailedException.class)
                .hasMessageContaining("urls[0]"))
            .verify(WAIT);

        GatherResponse returned = fetch.run(params(true, "/status/500", "/delay/1"), context).block(WAIT);
        assertThat(returned.failed()).isEqualTo(1);
    }

    @Test
    void nothingStartsBeforeSubscription() {
        fetch.run(params(null, "/delay/1"), context);

        assertThat(upstream.started()).isZero();
        assertThat(context.progress).isEmpty();
    }

    @Test
    void aRefusedUrlIsAViolationNamingItsIndexAndNoRequestIsMade() {
        FetchJobType.Params params = new FetchJobType.Params(
                List.of(upstream.url("/delay/1"), "http://elsewhere.example/x"), null, null, null);

        Set<ConstraintViolation<FetchJobType.Params>> violations = validator.validate(params);

        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.getPropertyPath().toString()).isEqualTo("urls[1]");
            assertThat(v.getMessage()).isEqualTo("host 'elsewhere.example' is not in asyncpatterns.outbound.allowed-hosts");
        });
        assertThat(upstream.started()).isZero();
    }

    @Test
    void limitsAreViolationsNamingTheirField() {
        FetchJobType.Params params = new FetchJobType.Params(List.of(upstream.url("/delay/1")), 100_000, null, null);

        assertThat(validator.validate(params)).singleElement()
            .satisfies(v -> assertThat(v.getPropertyPath().toString()).isEqualTo("concurrency"));
    }

    @Test
    void validParamsHaveNoViolations() {
        assertThat(validator.validate(params(null, "/delay/1"))).isEmpty();
    }

    /** A job context that records progress as "completed/total". */
    private static final class RecordingContext implements JobContext {

        final List<String> progress = new CopyOnWriteArrayList<>();

        @Override
        public String jobId() {
            return "test";
        }

        @Override
        public void progress(long completed, long total) {
            progress.add(completed + "/" + total);
        }
    }
}
