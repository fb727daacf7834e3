import java.util.HashMap;
import java.util.Map;

/** The {@code --name value} options of the helper commands (upstream, floor, fanout, submit). */
record Options(Map<String, String> values) {

    static Options parse(String[] argv, int from) {
        Map<String, String> values = new HashMap<>();
        for (int i = from; i < argv.length; i += 2) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                usage("expected --name value pairs, got '" + argv[i] + "'");
            }
            values.put(argv[i].substring(2), argv[i + 1]);
        }
        return new Options(values);
    }

    String required(String name) {
        String value = values.get(name);
        if (value == null) {
            usage("--" + name + " is required");
        }
        return value;
    }

    int intValue(String name, int fallback) {
        return (int) longValue(name, fallback);
    }

    long longValue(String name, long fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            usage("--" + name + " must be a number, got '" + value + "'");
            return fallback;
        }
    }

    static void usage(String problem) {
        System.err.println("bench: " + problem + "\nusage: see the Javadoc of bench/src/Bench.java");
        System.exit(2);
    }
}
