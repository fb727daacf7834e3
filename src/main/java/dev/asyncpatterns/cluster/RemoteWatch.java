package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.asyncpatterns.jobs.JobEvent;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobView;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A job running on another instance, followed from here: its row is re-read whenever a
 * notification names it, and at least every {@code poll} in case one was lost (the row is the
 * truth). Waits and event streams of remote jobs are built on it.
 */
final class RemoteWatch {

    /** How often a remote waiter re-reads the row when no notification arrived. */
    static final Duration POLL = Duration.ofSeconds(1);

    private final JobRows rows;
    private final JobNotifications notifications;
    private final Duration poll;

    RemoteWatch(JobRows rows, JobNotifications notifications, Duration poll) {
        this.rows = rows;
        this.notifications = notifications;
        this.poll = poll;
    }

    /**
     * The row each time a notification or the fallback poll says it may have changed; nothing once
     * it is deleted (the caller's timeout ends the wait). Listening starts first, then {@code action} runs, then the row is read once: a
     * change made in between (the owner confirming a cancel within milliseconds, say) is never
     * left to the fallback poll.
     */
    Flux<JobRow> watch(JobId id, Mono<?> action) {
        String key = id.toString();
        // merge subscribes in order: the notifications before the action.
        Flux<String> signals = Flux.merge(
                notifications.payloads().filter(payload -> payload.length() > 2 && payload.startsWith(key, 2)),
                action.then(Mono.just("now")),
                Flux.interval(poll).map(tick -> "tick"));
        return signals.onBackpressureLatest().concatMap(signal -> rows.find(id), 1);
    }

    /** {@link #watch} until the job is terminal: its terminal row (empty if it was deleted first). */
    Mono<JobRow> terminal(JobId id, Mono<?> action) {
        return watch(id, action).filter(row -> row.state().isTerminal()).next();
    }

    /**
     * A job running elsewhere as events: its state now, then every change the row shows, in the
     * order of the registry's own stream (progress before the state it led to), until a terminal state.
     */
    Flux<JobEvent> events(JobRow first) {
        return Flux.defer(() -> {
            JobView[] last = { null };
            Flux<JobEvent> changes = Flux.concat(Flux.just(first), watch(first.view().id(), Mono.empty()))
                .concatMapIterable(row -> {
                    List<JobEvent> events = changes(last[0], row.view());
                    last[0] = row.view();
                    return events;
                });
            return changes.takeUntil(event -> event.data() instanceof JobView view && view.state().isTerminal());
        });
    }

    private static List<JobEvent> changes(JobView previous, JobView now) {
        List<JobEvent> events = new ArrayList<>(2);
        if (previous == null) {
            events.add(new JobEvent(JobEvent.STATE, now));
        }
        // As in the registry's own stream: the last progress before the terminal state.
        if (previous == null || !Objects.equals(previous.progress(), now.progress())) {
            events.add(new JobEvent(JobEvent.PROGRESS, now.progress()));
        }
        if (previous != null && previous.state() != now.state()) {
            events.add(new JobEvent(JobEvent.STATE, now));
        }
        return events;
    }
}
