package dev.asyncpatterns.jobs;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import dev.asyncpatterns.web.BadRequestException;

import static dev.asyncpatterns.jobs.JobRegistryFixture.binder;
import static dev.asyncpatterns.jobs.JobRegistryFixture.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobQueriesTests {

    private static final JobCaller ALICE = new JobCaller("alice", false);
    private static final JobCaller BOB = new JobCaller("bob", false);

    private final Map<JobId, Job> jobs = new ConcurrentHashMap<>();
    private final JobsProperties properties = properties(10, 100, 3_600_000, 60_000, 100);
    private final JobQueries queries = new JobQueries(jobs, new JobTypes(List.of(new ControlledJobType()), binder()),
            new JobRetention(properties.retention(), jobs, Clock.systemUTC()), properties);

    private Job running(JobCaller owner) {
        Job job = new Job(JobId.random(), jobs.size(), "controlled", null, null, 0, 0, owner.name());
        job.transition(JobState.RUNNING, 0, null, null, null, () -> { });
        jobs.put(job.id(), job);
        return job;
    }

    @Test
    void anotherCallersJobIsNotFoundLikeAnUnknownIdUnlessTheCallerSeesAll() {
        Job alices = running(ALICE);
        String id = alices.id().toString();

        assertThat(queries.find(id, ALICE)).isSameAs(alices);
        assertThatThrownBy(() -> queries.find(id, BOB)).isInstanceOf(JobNotFoundException.class);
        assertThat(queries.find(id, JobCaller.SYSTEM)).isSameAs(alices);
        assertThat(queries.local(id)).isPresent();
    }

    @Test
    void aListShowsOnlyTheCallersOwnJobsNewestFirst() {
        Job first = running(ALICE);
        running(BOB);
        Job third = running(ALICE);

        assertThat(queries.list(null, null, null, ALICE)).extracting(JobView::id)
            .containsExactly(third.id(), first.id());
        assertThat(queries.list(null, null, null, JobCaller.SYSTEM)).hasSize(3);
    }

    @Test
    void aListLimitOutsideOneToMaxListLimitOrAnUnknownTypeIsA400() {
        assertThatThrownBy(() -> queries.list(null, null, 0, ALICE)).isInstanceOf(BadRequestException.class)
            .hasMessageContaining("limit");
        assertThatThrownBy(() -> queries.list(null, null, 501, ALICE)).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> queries.list(null, "nope", null, ALICE)).isInstanceOf(BadRequestException.class)
            .hasMessageContaining("type");
        assertThat(queries.list(null, null, 500, ALICE)).isEmpty();
    }
}
