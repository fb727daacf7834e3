package dev.asyncpatterns.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.asyncpatterns.jobs.InstanceLossPolicy;
import dev.asyncpatterns.jobs.JobId;
import dev.asyncpatterns.jobs.JobState;
import dev.asyncpatterns.jobs.JobView;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention on PostgreSQL leaves a finished job whose callback is still being delivered: deleting
 * the job would delete its delivery row with it, and the receiver would never hear.
 */
class RetentionOfDeliveriesTests {

    private static final Duration BLOCK = Duration.ofSeconds(30);

    private final StoreDatabase db = StoreDatabase.create();

    /** A job that ended an hour ago, with a callback when {@code callbackUrl} is given (its delivery then starts). */
    private JobId endedAnHourAgo(String callbackUrl) {
        JobId id = JobId.random();
        JobView view = new JobView(id, "sleep", null, JobState.PENDING, StoreDatabase.MAPPER.createObjectNode(), null,
                new JobView.Progress(0, null), null, null, null, Instant.now(), null, null, "tester", null, null, null);
        db.jobs().inserts().insert(List.of(new NewJob(view, InstanceLossPolicy.FAIL, null, null, null, callbackUrl))).block(BLOCK);
        db.execute("UPDATE jobs SET state = 'SUCCEEDED', finished_at = now() - interval '1 hour' WHERE id = '" + id.value() + "'");
        return id;
    }

    private boolean exists(JobId id) {
        return db.queryLong("SELECT count(*) FROM jobs WHERE id = '" + id.value() + "'") == 1;
    }

    @Test
    void pastTheAgeBoundAJobWhoseCallbackIsUnderWayStaysUntilTheDeliveryEnds() {
        JobId delivering = endedAnHourAgo("http://127.0.0.1:9/hooks");
        JobId plain = endedAnHourAgo(null);
        assertThat(db.queryLong("SELECT count(*) FROM callback_deliveries WHERE state = 'PENDING'")).isEqualTo(1);

        db.leases().retain(1_000, 1_000).block(BLOCK);
        assertThat(exists(plain)).isFalse();
        assertThat(exists(delivering)).as("its delivery is still PENDING").isTrue();

        db.execute("UPDATE callback_deliveries SET state = 'DELIVERED' WHERE job_id = '" + delivering.value() + "'");
        db.leases().retain(1_000, 1_000).block(BLOCK);
        assertThat(exists(delivering)).isFalse();
    }

    @Test
    void pastTheCountBoundAJobWhoseCallbackIsUnderWayStaysToo() {
        JobId delivering = endedAnHourAgo("http://127.0.0.1:9/hooks");
        JobId plain = endedAnHourAgo(null);

        db.leases().retain(Duration.ofDays(1).toMillis(), 0).block(BLOCK);

        assertThat(exists(plain)).isFalse();
        assertThat(exists(delivering)).isTrue();
    }
}
