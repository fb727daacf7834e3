package dev.asyncpatterns.schedules;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.jobs.JobRegistry;
import dev.asyncpatterns.jobs.JobRequest;
import dev.asyncpatterns.web.BadRequestException;
import dev.asyncpatterns.web.FieldError;
import dev.asyncpatterns.web.Problems;

/**
 * Turns a {@code POST /api/schedules} body into a {@link Schedule}, or a 400 naming the field:
 * the timing here, the job exactly as {@code POST /api/jobs} checks it, its fields under
 * {@code job.} (a bad schedule is refused when created, not at its first due time).
 */
@Component
class ScheduleDefinitions {

    private final JobRegistry registry;

    ScheduleDefinitions(JobRegistry registry) {
        this.registry = registry;
    }

    Schedule define(ScheduleRequest request, String owner, Instant now) {
        Timing timing = Timing.of(request.cron(), request.everyMs(), request.timeZone());
        if (timing.first(now) == null) {
            throw new BadRequestException("cron", "never matches a future time");
        }
        JobRequest job = request.job().toRequest(request.name());
        try {
            registry.checkParams(job);
            job.retryPolicy();
        }
        catch (ErrorResponseException refused) {
            throw underJob(refused);
        }
        Overlap overlap = request.overlap() != null ? request.overlap() : Overlap.SKIP;
        return new Schedule(ScheduleId.random(), request.name(), request.cron(), request.everyMs(), timing.zoneId(),
                request.job(), overlap, owner, now);
    }

    /** The job's 400 with each field named as it is in this body: {@code params.n} becomes {@code job.params.n}. */
    private static ErrorResponseException underJob(ErrorResponseException refused) {
        Map<String, Object> properties = refused.getBody().getProperties();
        if (refused.getStatusCode().value() != 400 || properties == null
                || !(properties.get("errors") instanceof List<?> errors)) {
            return refused;
        }
        List<FieldError> renamed = errors.stream().filter(FieldError.class::isInstance).map(FieldError.class::cast)
            .map(error -> new FieldError("job." + error.field(), error.message())).toList();
        String detail = renamed.stream().map(error -> error.field() + ": " + error.message())
            .collect(Collectors.joining("; "));
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, refused.getBody().getType(),
                refused.getBody().getTitle(), detail);
        problem.setProperty("errors", renamed);
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }
}
