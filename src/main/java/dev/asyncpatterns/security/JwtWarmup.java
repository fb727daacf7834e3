package dev.asyncpatterns.security;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * Verifies one throwaway RS256 token at start-up, on the start-up thread, when a JWT issuer is
 * configured: the JCA providers, {@code KeyFactory}, {@code Signature} and Nimbus' classes load
 * here, not on an event loop at the first real request (loading them reads jar files, a blocking
 * call). The throwaway key is never trusted by the real decoder.
 */
final class JwtWarmup {

    private static final Duration BOUND = Duration.ofSeconds(30);

    JwtWarmup(ReactiveJwtDecoder configured) {
        if (configured == null) {
            return;
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder()
                .subject("warm-up").expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
            token.sign(new RSASSASigner(keys.getPrivate()));
            String serialized = token.serialize();
            NimbusReactiveJwtDecoder.withPublicKey((RSAPublicKey) keys.getPublic()).build().decode(serialized)
                .block(BOUND);
            // The configured decoder's own path up to its signature check; the throwaway key is refused there.
            configured.decode(serialized).onErrorComplete().block(BOUND);
        }
        catch (NoSuchAlgorithmException | JOSEException ex) {
            throw new IllegalStateException("Could not prepare JWT verification", ex);
        }
    }
}
