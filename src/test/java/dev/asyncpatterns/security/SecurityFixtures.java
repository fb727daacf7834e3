package dev.asyncpatterns.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Test credentials made here, never fetched: API keys with their SHA-256 for the configuration,
 * and an RSA key pair whose public half is written to a temporary PEM file for
 * {@code spring.security.oauth2.resourceserver.jwt.public-key-location}, to sign tokens with.
 */
final class SecurityFixtures {

    static final String AUDIENCE = "async-patterns";
    static final String READER_KEY = "reader-key-0f3a";
    static final String OPERATOR_KEY = "operator-key-77b2";
    static final String MONITOR_KEY = "monitor-key-c41d";
    static final String ADMIN_KEY = "admin-key-9e10";
    static final String OTHER_OPERATOR_KEY = "bob-key-5d2c";

    static final KeyPair TRUSTED = rsa();
    static final KeyPair FOREIGN = rsa();

    private SecurityFixtures() {
    }

    static String sha256Hex(String key) {
        return HexFormat.of().formatHex(ApiKeyAuthenticationManager.sha256(key));
    }

    /** alice-reader, alice (operator), monitor, admin (operator and monitor), bob (operator). */
    static void apiKeys(DynamicPropertyRegistry registry) {
        key(registry, 0, "reader", READER_KEY, "reader");
        key(registry, 1, "alice", OPERATOR_KEY, "operator");
        key(registry, 2, "watcher", MONITOR_KEY, "monitor");
        key(registry, 3, "admin", ADMIN_KEY, "operator,monitor");
        key(registry, 4, "bob", OTHER_OPERATOR_KEY, "operator");
    }

    static void key(DynamicPropertyRegistry registry, int index, String name, String key, String roles) {
        String prefix = "asyncpatterns.security.api-keys[" + index + "].";
        registry.add(prefix + "name", () -> name);
        // Upper case for one of them: the hex is compared case-insensitively.
        registry.add(prefix + "key-sha256", () -> index == 0 ? sha256Hex(key).toUpperCase() : sha256Hex(key));
        registry.add(prefix + "roles", () -> roles);
    }

    /** The trusted public key as a PEM file, and the audience the service demands. */
    static void jwtIssuer(DynamicPropertyRegistry registry) {
        try {
            Path pem = Files.createTempFile("asyncpatterns-test-jwt", ".pem");
            pem.toFile().deleteOnExit();
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(TRUSTED.getPublic().getEncoded());
            Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
            registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> pem.toUri().toString());
            registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> AUDIENCE);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A valid token for {@code subject} with these scopes, signed with the trusted key. */
    static String jwt(String subject, String scopes) {
        Instant now = Instant.now();
        return sign(TRUSTED, claims(subject, scopes, AUDIENCE, now.minusSeconds(10), now.plusSeconds(600)));
    }

    static JWTClaimsSet claims(String subject, String scopes, String audience, Instant notBefore, Instant expires) {
        return new JWTClaimsSet.Builder().subject(subject).audience(List.of(audience)).claim("scope", scopes)
            .issueTime(Date.from(notBefore)).notBeforeTime(Date.from(notBefore)).expirationTime(Date.from(expires))
            .build();
    }

    static String sign(KeyPair keys, JWTClaimsSet claims) {
        try {
            SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
            token.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
            return token.serialize();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The same claims with {@code alg: none} and no signature. */
    static String unsigned(JWTClaimsSet claims) {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return encoder.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + encoder.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
