import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * An API key for the service's access control (docs/security.md): a fresh random key per run, the
 * properties that make a service accept it (only its SHA-256 is configured, as in production), and
 * the header it travels in. The operator role is what {@code POST /api/jobs} needs.
 */
record ApiKey(String name, String key) {

    /** The header W3's wrk script and {@link Service} send; the service also takes Authorization: Bearer. */
    static final String HEADER = "X-API-Key";

    static ApiKey random(String name) {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return new ApiKey(name, HexFormat.of().formatHex(bytes));
    }

    List<String> properties() {
        String prefix = "--asyncpatterns.security.api-keys[0].";
        return List.of(prefix + "name=" + name, prefix + "key-sha256=" + sha256(key), prefix + "roles=operator");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKey[name=" + name + "]";
    }
}
