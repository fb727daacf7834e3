import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The JDK this run uses (the one running it) and the command lines of the JVMs it starts. */
final class Jvm {

    private static final Path HOME = Path.of(System.getProperty("java.home"));

    private Jvm() {
    }

    static String tool(String name) {
        return HOME.resolve("bin").resolve(name).toString();
    }

    /** A helper JVM of the benchmark (upstream, fan-out driver, submitter): {@code Bench <command>}. */
    static List<String> bench(RunOptions options, List<String> jvmOptions, String command) {
        List<String> line = new ArrayList<>(List.of(tool("java"), "-Xmx1g",
                "-Dlogback.configurationFile=" + options.root().resolve("bench/src/logback-bench.xml")));
        line.addAll(jvmOptions);
        line.addAll(List.of("-cp", options.benchClasspath(), "Bench", command));
        return line;
    }

    /** How a service JVM is launched: which {@code java}, with which options of its own. */
    record Launch(String java, List<String> options) {

        /** The run's own JDK with no extra options: how every service and control is started but W10's image starts. */
        static Launch plain() {
            return new Launch(tool("java"), List.of());
        }
    }

    /** Words of an environment variable such as SERVICE_JAVA_OPTS, none when it is unset. */
    static List<String> words(String variable) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }
}
