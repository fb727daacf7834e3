package dev.asyncpatterns.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

class BodyDecoderTests {

    private final BodyDecoder decoder = new BodyDecoder(JsonMapper.builder().build());

    @Test
    void aBodyDeclaredJsonIsParsedAsJson() {
        CallResult result = decode("application/json", "{\"a\":[1,2]}".getBytes(StandardCharsets.UTF_8));

        assertThat(result.ok()).isTrue();
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body().get("a").get(1).asInt()).isEqualTo(2);
    }

    @Test
    void aPlusJsonTypeIsJsonToo() {
        CallResult result = decode("application/problem+json; charset=utf-8", "{\"title\":\"t\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(result.body().get("title").asString()).isEqualTo("t");
    }

    @Test
    void aBodyDeclaredJsonThatDoesNotParseIsAnInvalidResponse() {
        CallResult result = decode("application/json", "{not json".getBytes(StandardCharsets.UTF_8));

        assertThat(result.ok()).isFalse();
        assertThat(result.error().type()).isEqualTo(CallErrorType.INVALID_RESPONSE);
        assertThat(result.error().message()).contains("not valid JSON");
    }

    @Test
    void textIsReadInItsDeclaredCharset() {
        CallResult result = decode("text/plain; charset=ISO-8859-1", "café".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(result.body().isString()).isTrue();
        assertThat(result.body().asString()).isEqualTo("café");
    }

    @Test
    void withoutAReadableTypeTheBodyIsUtf8TextEvenIfItLooksLikeJson() {
        for (String contentType : new String[] {null, " ", "not a media type"}) {
            CallResult result = decode(contentType, "{\"é\":1}".getBytes(StandardCharsets.UTF_8));

            assertThat(result.body().isString()).as(contentType).isTrue();
            assertThat(result.body().asString()).isEqualTo("{\"é\":1}");
        }
    }

    @Test
    void anEmptyBodyIsASuccessWithoutABody() {
        CallResult result = decode("application/json", new byte[0]);

        assertThat(result.ok()).isTrue();
        assertThat(result.body()).isNull();
    }

    private CallResult decode(String contentType, byte[] body) {
        return decoder.decode(200, contentType, body).toResult(0, "http://upstream.test/", 0);
    }
}
