package dev.asyncpatterns.callbacks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs a delivery per the Standard Webhooks scheme: {@code v1,} + base64 of HMAC-SHA256, keyed with
 * the secret's bytes, over {@code "{webhook-id}.{webhook-timestamp}.{body}"}. A receiver recomputes
 * it with the same secret to know the call came from this service and was not altered or replayed
 * later (it checks the timestamp too).
 */
final class CallbackSigner {

    private static final Logger log = LoggerFactory.getLogger(CallbackSigner.class);
    static final String PREFIX = "whsec_";
    private static final String HMAC = "HmacSHA256";
    /** 24 bytes, as Standard Webhooks' own libraries generate (between its 24- and 64-byte bounds). */
    private static final int GENERATED_KEY_BYTES = 24;

    /** Initialised once; each signature works on a clone, since a Mac is not thread-safe. */
    private final Mac prototype;

    private CallbackSigner(byte[] key) {
        try {
            this.prototype = Mac.getInstance(HMAC);
            prototype.init(new SecretKeySpec(key, HMAC));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", ex);
        }
    }

    /**
     * The signer for {@code asyncpatterns.callbacks.signing-secret} ({@code whsec_} + base64 of the
     * key); when it is unset, a random key, logged once so receivers can be given it.
     *
     * @throws IllegalArgumentException when the secret is not {@code whsec_} + base64
     */
    static CallbackSigner of(String secret) {
        if (secret == null || secret.isBlank()) {
            byte[] key = new byte[GENERATED_KEY_BYTES];
            new SecureRandom().nextBytes(key);
            String generated = PREFIX + Base64.getEncoder().encodeToString(key);
            log.warn("asyncpatterns.callbacks.signing-secret is not set; callbacks are signed with the generated "
                    + "secret {} until restart. Several instances behind one receiver need one shared secret: set it.",
                    generated);
            return new CallbackSigner(key);
        }
        if (!secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("asyncpatterns.callbacks.signing-secret must start with " + PREFIX);
        }
        return new CallbackSigner(Base64.getDecoder().decode(secret.substring(PREFIX.length())));
    }

    /** The {@code webhook-signature} header value for one try. */
    String sign(String webhookId, long timestampSeconds, byte[] body) {
        Mac mac;
        try {
            mac = (Mac) prototype.clone();
        }
        catch (CloneNotSupportedException ex) {
            throw new IllegalStateException("the JDK's HmacSHA256 is cloneable", ex);
        }
        mac.update((webhookId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }
}
