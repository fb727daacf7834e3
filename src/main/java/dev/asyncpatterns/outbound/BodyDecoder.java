package dev.asyncpatterns.outbound;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

/**
 * Turns a 2xx body, read whole, into a result's {@code body}: JSON when the response says JSON
 * ({@code application/json} or any {@code +json} type), else text in the declared charset (UTF-8
 * when none is declared or the header cannot be read). A body declared JSON that does not parse
 * is the upstream breaking the protocol, an {@code INVALID_RESPONSE}.
 */
final class BodyDecoder {

    private final JsonMapper jsonMapper;

    BodyDecoder(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
        // Jackson creates its tree deserializer under a lock on first use; do it here, not on
        // an event loop thread where concurrent first calls would park on that lock.
        jsonMapper.readTree("{}");
    }

    ExchangeOutcome decode(int status, @Nullable String contentTypeHeader, byte[] bytes) {
        if (bytes.length == 0) {
            return new ExchangeOutcome.Success(status, null);
        }
        MediaType contentType = parseContentType(contentTypeHeader);
        if (contentType != null && isJson(contentType)) {
            try {
                return new ExchangeOutcome.Success(status, jsonMapper.readTree(bytes));
            }
            catch (JacksonException ex) {
                return new ExchangeOutcome.Failure(CallError.of(CallErrorType.INVALID_RESPONSE,
                        "the body is declared " + contentType + " but is not valid JSON"));
            }
        }
        Charset charset = contentType != null && contentType.getCharset() != null ? contentType.getCharset()
                : StandardCharsets.UTF_8;
        return new ExchangeOutcome.Success(status, StringNode.valueOf(new String(bytes, charset)));
    }

    /** The declared type, or null when absent or unreadable (the body is then taken as UTF-8 text). */
    private static @Nullable MediaType parseContentType(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return MediaType.parseMediaType(header);
        }
        catch (InvalidMediaTypeException ex) {
            return null;
        }
    }

    private static boolean isJson(MediaType type) {
        return MediaType.APPLICATION_JSON.isCompatibleWith(type) || type.getSubtype().endsWith("+json");
    }
}
