package dev.asyncpatterns.web;

/**
 * A JSON body type that a router function reads ({@link RouteAnswers#jsonBody}), declared as a bean
 * so that {@link RequestBodyWarmup} builds its deserializer at startup, as it does for every
 * {@code @RequestBody} type it finds among the annotated handlers. A router function's body type is
 * inside its code, where nothing else can find it.
 */
public record RouteBodyType(Class<?> type) {
}
