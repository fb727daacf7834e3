package dev.asyncpatterns.web;

import tools.jackson.core.JacksonException;

/**
 * Names the field a Jackson binding failure is about, as a client wrote it: {@code timeOut},
 * {@code calls[2].url}. The {@code field} of a validation problem's {@code errors}.
 */
public final class JsonFieldPath {

    private JsonFieldPath() {
    }

    /** The dotted path of the failure; empty when it is about the document as a whole. */
    public static String of(JacksonException ex) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : ex.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            }
            else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
