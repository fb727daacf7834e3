package dev.asyncpatterns.jobs;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a request asked for, to tell a repeat from a different request under one
 * {@code Idempotency-Key}: the SHA-256 of the parsed body written canonically, with every object's
 * fields sorted. Compared this way rather than byte for byte, a client that retries with its
 * fields reordered or its whitespace changed still repeats the same request.
 *
 * @param sha256 the digest, lower-case hex
 * @param size the canonical body's length in bytes, what remembering the request costs in memory
 */
public record RequestFingerprint(String sha256, int size) {

    /** The fingerprint of a parsed request body. */
    static RequestFingerprint of(JobRequest request, JsonMapper mapper) {
        byte[] canonical = mapper.writeValueAsBytes(sorted(mapper.valueToTree(request), mapper));
        return new RequestFingerprint(HexFormat.of().formatHex(newDigest().digest(canonical)), canonical.length);
    }

    private static JsonNode sorted(JsonNode node, JsonMapper mapper) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            node.properties().forEach(field -> fields.put(field.getKey(), sorted(field.getValue(), mapper)));
            ObjectNode copy = mapper.createObjectNode();
            fields.forEach(copy::set);
            return copy;
        }
        if (node.isArray()) {
            // Order within an array is meaning (a list of URLs), so only the elements are made canonical.
            ArrayNode copy = mapper.createArrayNode();
            node.forEach(element -> copy.add(sorted(element, mapper)));
            return copy;
        }
        return node;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            // Every Java platform must provide SHA-256.
            throw new IllegalStateException(ex);
        }
    }
}
