package dev.asyncpatterns.jobs.type;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.fanout.GatherPipeline;
import dev.asyncpatterns.fanout.GatherRequest;
import dev.asyncpatterns.fanout.GatherResponse;
import dev.asyncpatterns.jobs.JobContext;
import dev.asyncpatterns.jobs.JobCost;
import dev.asyncpatterns.jobs.JobType;
import dev.asyncpatterns.web.FieldError;
import reactor.core.publisher.Mono;

/**
 * {@code fetch}: an {@code asyncio.gather} of HTTP calls run as a background task. The result is
 * the gather response; progress is the number of calls finished of the total; cancelling the job
 * cancels every call in flight, which closes its connection. The URLs and limits are checked
 * when the job is submitted (a refused URL is a 400 naming {@code params.urls[i]}), and again
 * when it runs.
 */
@Component
class FetchJobType implements JobType<FetchJobType.Params> {

    private final GatherPipeline gather;

    FetchJobType(GatherPipeline gather) {
        this.gather = gather;
    }

    @Override
    public String name() {
        return "fetch";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Mono<GatherResponse> run(Params params, JobContext context) {
        int total = params.urls().size();
        return Mono.defer(() -> {
            context.progress(0, total);
            return gather.gatherInBackground(params.toGatherRequest(), completed -> context.progress(completed, total));
        });
    }

    /**
     * {@code min(urls, concurrency)}, the most calls it can ever have in flight: a fetch job holds
     * them from submission to its end, as a fan-out request does while it runs.
     */
    @Override
    public JobCost cost(Params params) {
        int urls = params.urls().size();
        return new JobCost(0, params.concurrency() == null ? urls : Math.min(urls, params.concurrency()));
    }

    /**
     * @param urls the URLs to GET, each checked against the outbound allowlist
     * @param concurrency most calls in flight; all at once when absent
     * @param perCallTimeoutMs bound on each call; the outbound default when absent
     * @param returnExceptions true: failures are results; false (default): the first failure
     *                         cancels the rest and fails the job
     */
    @Checked
    public record Params(@NotEmpty List<String> urls, @Min(1) @Nullable Integer concurrency,
            @Min(1) @Nullable Long perCallTimeoutMs, @Nullable Boolean returnExceptions) {

        GatherRequest toGatherRequest() {
            return new GatherRequest(urls, concurrency, perCallTimeoutMs, null, returnExceptions, null, null);
        }
    }

    /** The gather's own checks (allowlist, limits) as a constraint, so they run when the job is submitted. */
    @Documented
    @Constraint(validatedBy = CheckedValidator.class)
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface Checked {

        String message() default "is not a valid fetch";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** Runs {@link GatherPipeline#check}; built by Spring's validator factory, which injects the pipeline. */
    public static class CheckedValidator implements ConstraintValidator<Checked, Params> {

        private final GatherPipeline gather;

        public CheckedValidator(GatherPipeline gather) {
            this.gather = gather;
        }

        @Override
        public boolean isValid(@Nullable Params params, ConstraintValidatorContext context) {
            if (params == null || params.urls() == null || params.urls().isEmpty()) {
                return true; // @NotEmpty reports it
            }
            try {
                gather.check(params.toGatherRequest());
                return true;
            }
            catch (ErrorResponseException refused) {
                context.disableDefaultConstraintViolation();
                for (FieldError error : fieldErrors(refused)) {
                    context.buildConstraintViolationWithTemplate(escape(error.message()))
                        .addPropertyNode(error.field())
                        .addConstraintViolation();
                }
                return false;
            }
        }

        private static List<FieldError> fieldErrors(ErrorResponseException refused) {
            Object errors = refused.getBody().getProperties() == null ? null
                    : refused.getBody().getProperties().get("errors");
            if (errors instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof FieldError) {
                return list.stream().map(FieldError.class::cast).toList();
            }
            return List.of(new FieldError("urls", String.valueOf(refused.getBody().getDetail())));
        }

        /** Messages are templates: keep a URL's braces and dollars from being interpolated. */
        private static String escape(String message) {
            return message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
        }
    }
}
