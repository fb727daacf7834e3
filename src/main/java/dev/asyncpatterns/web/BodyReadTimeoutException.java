package dev.asyncpatterns.web;

/** A request's body did not arrive in full within {@code asyncpatterns.http.read-timeout}. */
final class BodyReadTimeoutException extends RuntimeException {

    BodyReadTimeoutException() {
        super("The request body did not arrive in full within asyncpatterns.http.read-timeout");
    }
}
