import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One wrk run's machine-readable line, {@code PREFIX key=value ...}, printed by a bench/wrk script's done(). */
record WrkResult(String line, Map<String, Double> fields) {

    /** The line starting with {@code prefix} in wrk's output; {@code what} names the run in a failure. */
    static WrkResult parse(String output, String prefix, String what) {
        String result = output.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new BenchFailure("wrk on the " + what + " printed no result: " + output));
        Map<String, Double> fields = new HashMap<>();
        for (String word : result.split(" ")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                fields.put(word.substring(0, eq), Double.valueOf(word.substring(eq + 1)));
            }
        }
        return new WrkResult(result, fields);
    }

    double get(String name) {
        Double value = fields.get(name);
        if (value == null) {
            throw new BenchFailure("wrk printed no " + name + ": " + line);
        }
        return value;
    }

    /** No socket error of any kind, and none of the given status-error counts. */
    boolean clean(String... statusFields) {
        List<String> counted = new ArrayList<>(List.of("connect_errors", "read_errors", "write_errors", "timeouts"));
        counted.addAll(List.of(statusFields));
        return counted.stream().allMatch(f -> get(f) == 0);
    }
}
