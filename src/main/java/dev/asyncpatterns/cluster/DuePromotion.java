package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code loop.call_at} across instances: delayed jobs wait as SCHEDULED rows, and each instance
 * keeps one timer, armed for the earliest due time it knows of. When it fires, the due rows
 * become PENDING ({@link DueRows#promote}) and the ordinary claims start them, each exactly once.
 * The timer is re-armed from the table after every promotion, and a submit here arms it at once;
 * the poll catches what other instances scheduled and what was waiting when this one started, so
 * scheduled jobs survive any instance's restart. One promotion runs at a time; requests coalesce.
 */
final class DuePromotion {

    private static final Logger log = LoggerFactory.getLogger(DuePromotion.class);
    /** Most rows one promotion moves; a full batch asks for the next at once. */
    static final int BATCH = 500;
    /**
     * The shortest re-arm: rows that are due but were not promoted (another instance holds them
     * in its promotion right now) are looked at again this soon, not in a busy loop.
     */
    static final long MIN_REARM_MS = 10;

    private final DueRows rows;
    private final Runnable queued;
    private final LongSupplier millis;
    private final Duration poll;
    private final CoalescedPasses passes = new CoalescedPasses(this::pass,
            new RepeatedFailureLog(log, "Promoting due jobs failed"));
    private final EarliestWakeUp timer;

    /**
     * @param queued tells this instance's claims that jobs wait (promotion also notifies every instance)
     * @param poll how often the table is looked at when no timer fires
     */
    DuePromotion(DueRows rows, Runnable queued, LongSupplier millis, Duration poll) {
        this.rows = rows;
        this.queued = queued;
        this.millis = millis;
        this.poll = poll;
        this.timer = new EarliestWakeUp(millis, MIN_REARM_MS, this::promoteSoon);
    }

    /** A job was scheduled here for {@code dueAtMillis}: wake for it unless the timer fires earlier. */
    void scheduled(long dueAtMillis) {
        timer.in(dueAtMillis - millis.getAsLong());
    }

    /** Promotes on request (timer, poll, a full batch) one pass at a time, starting with one pass now. */
    Disposable start() {
        Disposable promotions = passes.start();
        Disposable polls = Flux.interval(Duration.ZERO, poll).subscribe(tick -> promoteSoon());
        return Disposables.composite(promotions, polls, timer);
    }

    /** Promotes what is due, then arms the timer for what is due next. */
    Mono<Void> pass() {
        return rows.promote(BATCH).flatMap(promoted -> {
            if (promoted > 0) {
                queued.run();
            }
            if (promoted >= BATCH) {
                promoteSoon();
                return Mono.<Long>empty();
            }
            return rows.nextDueInMs();
        }).doOnNext(timer::in).then();
    }

    private void promoteSoon() {
        passes.request();
    }
}
