package dev.asyncpatterns.security;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.stereotype.Component;

/**
 * Decides, once at start-up, whether callers must authenticate: yes as soon as an API key or a
 * JWT issuer is configured, on any address. With neither, anonymous callers are served while the
 * server listens on loopback only; on any other address start-up is refused, with one log line
 * naming what to set, unless {@code asyncpatterns.security.allow-anonymous=true}.
 */
@Component
class AccessMode {

    private static final Logger log = LoggerFactory.getLogger(AccessMode.class);

    private final AccessControlProperties properties;
    private final ReactiveJwtDecoder jwtDecoder;
    private final boolean secured;

    AccessMode(AccessControlProperties properties, ObjectProvider<ReactiveJwtDecoder> jwtDecoder, Environment environment) {
        this.properties = properties;
        this.jwtDecoder = jwtDecoder.getIfAvailable();
        this.secured = !properties.apiKeys().isEmpty() || this.jwtDecoder != null;
        if (!secured) {
            refuseAnonymousExposure(environment.getProperty("server.address"));
        }
    }

    /** True when every {@code /api} call needs a credential. */
    boolean secured() {
        return secured;
    }

    /** The configured JWT decoder (Boot's, from {@code spring.security.oauth2.resourceserver.jwt.*}), or null. */
    ReactiveJwtDecoder jwtDecoder() {
        return jwtDecoder;
    }

    AccessControlProperties properties() {
        return properties;
    }

    private void refuseAnonymousExposure(String serverAddress) {
        if (loopback(serverAddress)) {
            return;
        }
        String listening = serverAddress == null || serverAddress.isBlank() ? "every address" : serverAddress;
        if (properties.allowAnonymous()) {
            log.warn("Serving anonymous callers on {}: asyncpatterns.security.allow-anonymous=true and no credential is configured",
                    listening);
            return;
        }
        String message = "Refusing to start: server.address is " + listening
                + " and no credential is configured, so anyone who can reach it could run jobs and outbound calls; "
                + "set asyncpatterns.security.api-keys[0].name, .key-sha256 and .roles (or "
                + "spring.security.oauth2.resourceserver.jwt.public-key-location / issuer-uri), "
                + "or server.address=127.0.0.1, or asyncpatterns.security.allow-anonymous=true if you mean it";
        log.error(message);
        throw new AnonymousExposureException(message);
    }

    private static boolean loopback(String serverAddress) {
        if (serverAddress == null || serverAddress.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(serverAddress.strip()).isLoopbackAddress();
        }
        catch (UnknownHostException ex) {
            return false;
        }
    }
}
