package dev.asyncpatterns.jobs;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.springframework.stereotype.Component;

import dev.asyncpatterns.web.BadRequestException;
import dev.asyncpatterns.web.FieldError;
import dev.asyncpatterns.web.JsonFieldPath;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binds a request's {@code params} object to a job type's params record and validates it, so a
 * job is accepted only with params its type can run. Unknown params are refused (a typo such as
 * {@code durationMS} should not silently run with defaults).
 */
@Component
class JobParamsBinder {

    private static final String PREFIX = "params";

    private final JsonMapper mapper;
    private final Validator validator;

    JobParamsBinder(JsonMapper mapper, Validator validator) {
        this.mapper = mapper.rebuild().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        this.validator = validator;
    }

    <P> P bind(JobType<P> type, JsonNode params) {
        JsonNode node = params == null || params.isNull() ? mapper.createObjectNode() : params;
        if (!node.isObject()) {
            throw new BadRequestException(PREFIX, "must be a JSON object");
        }
        P bound;
        try {
            bound = mapper.treeToValue(node, type.paramsType());
        }
        catch (JacksonException ex) {
            throw new BadRequestException(field(ex), ex instanceof UnrecognizedPropertyException
                    ? "is not a parameter of job type '" + type.name() + "'" : "has an invalid value");
        }
        Set<ConstraintViolation<P>> violations = validator.validate(bound);
        if (!violations.isEmpty()) {
            List<FieldError> errors = violations.stream()
                .map(v -> new FieldError(PREFIX + "." + v.getPropertyPath(), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field))
                .toList();
            throw new InvalidJobRequestException(errors);
        }
        return bound;
    }

    private static String field(JacksonException ex) {
        String path = JsonFieldPath.of(ex);
        return path.isEmpty() ? PREFIX : PREFIX + "." + path;
    }
}
