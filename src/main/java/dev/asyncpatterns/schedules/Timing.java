package dev.asyncpatterns.schedules;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import org.springframework.scheduling.support.CronExpression;

import dev.asyncpatterns.web.BadRequestException;

/**
 * When a schedule is due: Spring's {@link CronExpression} read in a time zone, or a fixed period.
 * Validation lives here so every store computes due times the same way and every bad input is a
 * 400 naming its field.
 */
final class Timing {

    /** Shorter periods would turn the job registry into a busy loop. */
    static final long MIN_EVERY_MS = 1000;

    private final CronExpression cron;
    private final ZoneId zone;
    private final long everyMs;

    private Timing(CronExpression cron, ZoneId zone, long everyMs) {
        this.cron = cron;
        this.zone = zone;
        this.everyMs = everyMs;
    }

    /**
     * Exactly one of {@code cron} and {@code everyMs}; {@code timeZone} (default UTC) only reads
     * the cron expression.
     */
    static Timing of(String cron, Long everyMs, String timeZone) {
        if ((cron == null) == (everyMs == null)) {
            String field = cron == null ? "cron" : "everyMs";
            throw new BadRequestException(field, "give exactly one of cron and everyMs");
        }
        ZoneId zone = zone(timeZone);
        if (everyMs != null) {
            if (everyMs < MIN_EVERY_MS) {
                throw new BadRequestException("everyMs", "must be at least " + MIN_EVERY_MS);
            }
            return new Timing(null, zone, everyMs);
        }
        try {
            return new Timing(CronExpression.parse(cron), zone, 0);
        }
        catch (IllegalArgumentException bad) {
            throw new BadRequestException("cron", "not a 6-field cron expression (second minute hour day month "
                    + "weekday): " + bad.getMessage());
        }
    }

    private static ZoneId zone(String timeZone) {
        if (timeZone == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(timeZone);
        }
        catch (DateTimeException bad) {
            throw new BadRequestException("timeZone", "unknown time zone '" + timeZone + "'");
        }
    }

    /** The first due time of a schedule created, or resumed, at {@code now}: nothing before now is replayed. */
    Instant first(Instant now) {
        return cron != null ? cronAfter(now) : now.plusMillis(everyMs);
    }

    /**
     * The due time after {@code due} once it fired at {@code now}: never at or before now, so a
     * schedule that was not fired for a long while starts one catch-up run, not one per missed time.
     * A period keeps its grid ({@code due + k·everyMs}); a cron expression its calendar.
     */
    Instant following(Instant due, Instant now) {
        if (cron != null) {
            return cronAfter(due.isAfter(now) ? due : now);
        }
        long behind = Math.max(0, now.toEpochMilli() - due.toEpochMilli());
        return due.plusMillis((behind / everyMs + 1) * everyMs);
    }

    private Instant cronAfter(Instant instant) {
        ZonedDateTime next = cron.next(instant.atZone(zone));
        if (next == null) {
            // CronExpression gives up after 400 years (e.g. 30 February): such a schedule never fires.
            return null;
        }
        return next.toInstant();
    }

    /** The zone's id as a schedule reports it. */
    String zoneId() {
        return zone.getId();
    }
}
