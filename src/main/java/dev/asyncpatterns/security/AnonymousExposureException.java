package dev.asyncpatterns.security;

/** Start-up refused: no credential configured on a non-loopback address (see {@link AccessMode}). */
class AnonymousExposureException extends IllegalStateException {

    AnonymousExposureException(String message) {
        super(message);
    }
}
