package dev.asyncpatterns.outbound;

import java.net.URI;

/**
 * A URL that {@link UrlAllowlist} has accepted. Only the allowlist creates these, so a call can
 * only be made with a URL that was checked before it: the type carries the proof.
 */
public final class AllowedUrl {

    private final URI uri;
    private final String url;

    AllowedUrl(URI uri, String url) {
        this.uri = uri;
        this.url = url;
    }

    /** The parsed URL the call goes to. */
    public URI uri() {
        return uri;
    }

    /** The URL exactly as the caller wrote it, echoed back in results. */
    public String url() {
        return url;
    }

    @Override
    public String toString() {
        return url;
    }
}
