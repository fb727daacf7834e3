import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the service's JSON answers (Jackson 3, which the service jar ships). */
final class Json {

    private Json() {
    }

    static JsonNode parse(String text) {
        try {
            return JsonMapper.shared().readTree(text);
        } catch (JacksonException e) {
            throw new BenchFailure("not JSON: " + Calls.abbreviate(text));
        }
    }
}
