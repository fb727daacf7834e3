package dev.asyncpatterns.web;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.validation.Errors;

/** One entry of a validation problem's {@code errors} list: which field, and what is wrong. */
public record FieldError(String field, String message) {

    /**
     * Bean validation's errors as the list a problem shows: the fields' in field order (the validator
     * reports them in no fixed order), then the object's own, named by the object.
     */
    public static List<FieldError> of(Errors errors) {
        return Stream.concat(
                errors.getFieldErrors().stream()
                    .map(e -> new FieldError(e.getField(), e.getDefaultMessage()))
                    .sorted(Comparator.comparing(FieldError::field)),
                errors.getGlobalErrors().stream().map(e -> new FieldError(e.getObjectName(), e.getDefaultMessage())))
            .toList();
    }
}
