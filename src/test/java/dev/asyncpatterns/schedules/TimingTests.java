package dev.asyncpatterns.schedules;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.asyncpatterns.web.BadRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimingTests {

    private static final Instant NOON = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void cronIsReadInItsZoneAndDefaultsToUtc() {
        assertThat(Timing.of("0 0 9 * * *", null, "America/New_York").first(NOON))
            .isEqualTo(Instant.parse("2026-06-01T13:00:00Z"));
        assertThat(Timing.of("0 0 9 * * *", null, null).first(NOON)).isEqualTo(Instant.parse("2026-06-02T09:00:00Z"));
        assertThat(Timing.of("0 0 9 * * *", null, null).zoneId()).isEqualTo("Z");
    }

    @Test
    void aLongOutageLeadsToOneCatchUpRunThenTheNextTimeAfterNow() {
        Timing hourly = Timing.of("0 0 * * * *", null, null);
        Instant missed = Instant.parse("2026-06-01T03:00:00Z");
        assertThat(hourly.following(missed, NOON.plusSeconds(5))).isEqualTo(Instant.parse("2026-06-01T13:00:00Z"));

        Timing everyMinute = Timing.of(null, 60_000L, null);
        Instant due = NOON.minusSeconds(3600 + 10);
        // The grid is kept: due + k·60 s, the first such time after now.
        assertThat(everyMinute.following(due, NOON)).isEqualTo(NOON.plusSeconds(50));
        assertThat(everyMinute.following(NOON, NOON.plusMillis(5))).isEqualTo(NOON.plusSeconds(60));
        assertThat(everyMinute.first(NOON)).isEqualTo(NOON.plusSeconds(60));
    }

    @Test
    void badTimingIsA400NamingTheField() {
        assertField(() -> Timing.of("0 0 9 * *", null, null), "cron");
        assertField(() -> Timing.of(null, null, null), "cron");
        assertField(() -> Timing.of("0 0 9 * * *", 5000L, null), "everyMs");
        assertField(() -> Timing.of(null, 999L, null), "everyMs");
        assertField(() -> Timing.of("0 0 9 * * *", null, "Mars/Olympus"), "timeZone");
        assertThat(Timing.of(null, 1000L, null).first(NOON)).isEqualTo(NOON.plusSeconds(1));
    }

    private static void assertField(Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(BadRequestException.class,
                refused -> assertThat(refused.getBody().getDetail()).startsWith(field + ":"));
    }
}
