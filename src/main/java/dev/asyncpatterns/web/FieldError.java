package dev.asyncpatterns.web;

/** One entry of a validation problem's {@code errors} list: which field, and what is wrong. */
public record FieldError(String field, String message) {
}
