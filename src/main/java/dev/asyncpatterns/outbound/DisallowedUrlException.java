package dev.asyncpatterns.outbound;

/**
 * A URL the allowlist refused, before any request was made. Callers turn it into a 400 naming
 * the field: {@code urls[index]} for a list, {@code url} for a single call.
 */
public class DisallowedUrlException extends RuntimeException {

    private final int index;
    private final String reason;

    public DisallowedUrlException(int index, String reason) {
        super("URL " + index + " " + reason);
        this.index = index;
        this.reason = reason;
    }

    /** Position of the refused URL in the list that was checked (0 for a single URL). */
    public int index() {
        return index;
    }

    /** Why it was refused, phrased to follow the field name ("is not a well-formed URL"). */
    public String reason() {
        return reason;
    }
}
