package dev.asyncpatterns.outbound;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.stereotype.Component;

/**
 * Decides which URLs the service may call ({@code asyncpatterns.outbound.allowed-hosts}): only
 * {@code http} and {@code https}, well-formed, without user info, and with a host that matches an
 * entry exactly ({@code host} allows any port, {@code host:port} only that port). Checking is a
 * hash lookup per URL, so a list of a thousand URLs costs next to nothing.
 */
@Component
public class UrlAllowlist {

    /** Longer URLs are refused outright, so one request cannot make us parse megabytes. */
    public static final int MAX_URL_LENGTH = 2048;

    private final Set<String> anyPort = new HashSet<>();
    private final Set<String> exactPort = new HashSet<>();

    public UrlAllowlist(OutboundProperties properties) {
        for (String entry : properties.allowedHosts()) {
            String normalized = entry.trim().toLowerCase(Locale.ROOT);
            if (normalized.indexOf(':') != normalized.lastIndexOf(':') && !normalized.startsWith("[")) {
                // A bare IPv6 literal: URI.getHost() brackets it, so the entry must be bracketed too.
                normalized = "[" + normalized + "]";
            }
            boolean hasPort = normalized.startsWith("[") ? normalized.contains("]:") : normalized.contains(":");
            (hasPort ? exactPort : anyPort).add(normalized);
        }
    }

    /**
     * Checks every URL before any is used.
     *
     * @return the accepted URLs, in the same order
     * @throws DisallowedUrlException for the first URL refused, naming its index and why
     */
    public List<AllowedUrl> checkAll(List<String> urls) {
        List<AllowedUrl> allowed = new ArrayList<>(urls.size());
        for (int i = 0; i < urls.size(); i++) {
            allowed.add(check(i, urls.get(i)));
        }
        return allowed;
    }

    /**
     * Checks one URL.
     *
     * @param index reported in the exception if the URL is refused
     * @throws DisallowedUrlException if it is refused
     */
    public AllowedUrl check(int index, String url) {
        URI uri = parse(index, url);
        if (!isAllowedHost(uri)) {
            throw new DisallowedUrlException(index, "host '" + uri.getHost()
                    + "' is not in asyncpatterns.outbound.allowed-hosts");
        }
        return new AllowedUrl(uri, url);
    }

    /** Whether a URL met along the way (a redirect's {@code Location}) may be followed. */
    public boolean isAllowed(URI uri) {
        return uri.isAbsolute() && isHttp(uri.getScheme()) && uri.getRawUserInfo() == null && uri.getHost() != null
                && isAllowedHost(uri);
    }

    /**
     * Whether a raw connection to {@code host:port} is allowed (the TCP client's check): the same
     * entries as for URLs, {@code host} for any port or {@code host:port} for that port only.
     */
    public boolean allowsHost(String host, int port) {
        String normalized = host.trim().toLowerCase(Locale.ROOT);
        if (normalized.indexOf(':') >= 0 && !normalized.startsWith("[")) {
            normalized = "[" + normalized + "]";
        }
        return anyPort.contains(normalized) || exactPort.contains(normalized + ":" + port);
    }

    private static URI parse(int index, String url) {
        if (url == null || url.isBlank()) {
            throw new DisallowedUrlException(index, "must not be blank");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw new DisallowedUrlException(index, "is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        }
        catch (URISyntaxException ex) {
            throw new DisallowedUrlException(index, "is not a well-formed URL");
        }
        if (!uri.isAbsolute() || !isHttp(uri.getScheme())) {
            throw new DisallowedUrlException(index, "must be an http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new DisallowedUrlException(index, "must not contain user info");
        }
        if (uri.getHost() == null) {
            throw new DisallowedUrlException(index, "has no valid host");
        }
        return uri;
    }

    private boolean isAllowedHost(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return anyPort.contains(host) || exactPort.contains(host + ":" + effectivePort(uri));
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static boolean isHttp(String scheme) {
        return "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
    }
}
