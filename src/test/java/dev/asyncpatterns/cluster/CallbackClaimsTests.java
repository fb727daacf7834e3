package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.asyncpatterns.callbacks.CallbackDeliveries;
import dev.asyncpatterns.callbacks.CallbackState;
import dev.asyncpatterns.callbacks.CallbackTry;
import dev.asyncpatterns.jobs.InstanceLossPolicy;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobState;
import dev.asyncpatterns.jobs.JobView;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.publisher.PublisherProbe;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The claim loop on virtual time (its poll, the retry timer and the shutdown grace are Reactor
 * timers), against mocked rows: tries under way are bounded, a failed try wakes the loop after its
 * backoff, and a stop gives the tries under way the grace period, then cancels them and hands their
 * rows over.
 */
class CallbackClaimsTests {

    private static final Duration GRACE = Duration.ofSeconds(5);

    private final CallbackRows rows = mock(CallbackRows.class);
    private final CallbackDeliveries deliveries = mock(CallbackDeliveries.class);
    private final JobNotifications notifications = mock(JobNotifications.class);
    private VirtualTimeScheduler time;
    private CallbackClaims claims;

    @BeforeEach
    void setUp() {
        time = VirtualTimeScheduler.getOrSet();
        when(notifications.payloads()).thenReturn(Flux.never());
        when(notifications.reconnects()).thenReturn(Flux.never());
        when(rows.claim(eq("self"), anyInt(), anyLong()))
            .thenAnswer(call -> Flux.range(0, call.getArgument(1, Integer.class)).map(i -> claimed()));
        when(rows.record(any(), eq("self"), any())).thenReturn(Mono.just(1L));
        when(rows.release("self")).thenReturn(Mono.just(1L));
        claims = new CallbackClaims(rows, deliveries, notifications, "self", 60_000, GRACE,
                JsonMapper.builder().build().writerFor(JobView.class), () -> time.now(TimeUnit.MILLISECONDS));
    }

    @AfterEach
    void tearDown() {
        claims.stop();
        VirtualTimeScheduler.reset();
    }

    private static CallbackRows.Claimed claimed() {
        JobView job = new JobView(JobId.random(), "sleep", null, JobState.SUCCEEDED, null, null,
                new JobView.Progress(1, 1L), null, null, null, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, null);
        return new CallbackRows.Claimed(new JobRow(job, InstanceLossPolicy.FAIL, false, null),
                "http://127.0.0.1:9/hooks", "msg_" + job.id() + "_1", 1, 1);
    }

    @Test
    void triesUnderWayStayWithinTheBoundWhateverIsDue() {
        when(deliveries.send(anyString(), anyString(), any(), anyInt())).thenReturn(Mono.never());

        claims.start();
        // The poll asks again every second; each claim takes what room is left, then none.
        time.advanceTimeBy(CallbackClaims.POLL.multipliedBy(10));

        verify(deliveries, times(CallbackClaims.MAX_IN_FLIGHT)).send(anyString(), anyString(), any(), anyInt());
        verify(rows, times(CallbackClaims.MAX_IN_FLIGHT / CallbackClaims.BATCH))
            .claim("self", CallbackClaims.BATCH, 60_000);
        verify(rows, never()).claim(eq("self"), eq(0), anyLong());
    }

    @Test
    void aTryThatFailedWakesTheClaimsWhenItsBackoffIsOver() {
        AtomicBoolean firstClaim = new AtomicBoolean(true);
        when(rows.claim(eq("self"), anyInt(), anyLong()))
            .thenAnswer(call -> firstClaim.getAndSet(false) ? Flux.just(claimed()) : Flux.empty());
        when(deliveries.send(anyString(), anyString(), any(), anyInt()))
            .thenReturn(Mono.just(new CallbackTry(CallbackState.PENDING, 503, null, Duration.ofMillis(300))));
        claims.start();
        // The first claim, its try and the claim its end asks for; the poll's next is a second away.
        verify(rows, times(2)).claim(eq("self"), anyInt(), anyLong());

        time.advanceTimeBy(Duration.ofMillis(299));
        verify(rows, times(2)).claim(eq("self"), anyInt(), anyLong());
        time.advanceTimeBy(Duration.ofMillis(1));
        verify(rows, times(3)).claim(eq("self"), anyInt(), anyLong());
    }

    @Test
    void aStopGivesTriesUnderWayTheGracePeriodThenCancelsThemAndHandsTheirRowsOver() {
        PublisherProbe<CallbackTry> attempt = PublisherProbe.of(Mono.never());
        when(deliveries.send(anyString(), anyString(), any(), anyInt())).thenReturn(attempt.mono());
        claims.start();
        AtomicBoolean stopped = new AtomicBoolean();

        claims.stop(() -> stopped.set(true));
        time.advanceTimeBy(GRACE.minusMillis(1));
        assertThat(stopped).isFalse();
        attempt.assertWasNotCancelled();
        verify(rows, never()).release("self");

        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(stopped).isTrue();
        attempt.assertWasCancelled();
        verify(rows).release("self");
    }
}
