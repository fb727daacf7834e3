package dev.asyncpatterns.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

import reactor.core.publisher.Mono;

/**
 * Authenticates an API key against {@code asyncpatterns.security.api-keys}: the key's SHA-256 is
 * compared with every configured hash in constant time ({@link MessageDigest#isEqual}, and no early
 * exit on a match), so timing reveals neither which key nor how much of it matched. The
 * authentication carries the key's name and roles, never the key.
 */
final class ApiKeyAuthenticationManager implements ReactiveAuthenticationManager {

    private final List<Entry> keys;

    ApiKeyAuthenticationManager(List<AccessControlProperties.ApiKey> configured) {
        this.keys = configured.stream()
            .map(key -> new Entry(key.name(), HexFormat.of().parseHex(key.keySha256().toLowerCase()),
                    key.roles().stream().map(Role::authority).toList()))
            .toList();
        // Loads the digest provider now, on the start-up thread, not on an event loop at the first request.
        sha256("warm-up");
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        return Mono.fromSupplier(() -> verify((String) authentication.getCredentials()));
    }

    /** Hashing a short key is microseconds of CPU: fine on the event loop, no I/O, no lock. */
    private Authentication verify(String key) {
        byte[] presented = sha256(key);
        Entry match = null;
        for (Entry entry : keys) {
            if (MessageDigest.isEqual(presented, entry.sha256) && match == null) {
                match = entry;
            }
        }
        if (match == null) {
            throw new BadCredentialsException("Unknown API key");
        }
        return UsernamePasswordAuthenticationToken.authenticated(match.name, null, match.authorities);
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("Every JDK has SHA-256", ex);
        }
    }

    private record Entry(String name, byte[] sha256, List<GrantedAuthority> authorities) {
    }
}
