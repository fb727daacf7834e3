import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JDK the Docker image runs the service on, found on this machine: the release its run stage's
 * {@code FROM eclipse-temurin:<release>-jre} names, looked up by the {@code release} file of each
 * JDK under /usr/lib/jvm (as .ci/checks/dockerfile_rehearsal.py does), so that W10 starts the
 * service on the runtime the image has.
 */
record ImageJdk(int release, String java) {

    private static final Path JVM_ROOT = Path.of("/usr/lib/jvm");
    private static final Pattern BASE = Pattern.compile("(?i)^FROM\\s+eclipse-temurin:(\\d+)\\S*");
    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    /** The local JDK of the release the Dockerfile's last stage runs on. */
    static ImageJdk of(Path dockerfile) {
        int release = runRelease(dockerfile);
        try (Stream<Path> homes = Files.list(JVM_ROOT)) {
            return homes.sorted()
                    .filter(home -> !Files.isSymbolicLink(home) && releaseOf(home) == release)
                    .map(home -> new ImageJdk(release, home.resolve("bin/java").toString()))
                    .findFirst()
                    .orElseThrow(() -> new BenchFailure("W10: the Docker image runs on JDK " + release
                            + ", and no JDK " + release + " is under " + JVM_ROOT));
        }
        catch (IOException e) {
            throw new BenchFailure("W10: cannot list " + JVM_ROOT + ": " + e);
        }
    }

    private static int runRelease(Path dockerfile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(dockerfile);
        }
        catch (IOException e) {
            throw new BenchFailure("W10: cannot read " + dockerfile + ": " + e);
        }
        Integer release = null;
        for (String line : lines) {
            if (line.trim().toUpperCase().startsWith("FROM ")) {
                Matcher base = BASE.matcher(line.trim());
                release = base.find() ? Integer.valueOf(base.group(1)) : null;
            }
        }
        if (release == null) {
            throw new BenchFailure("W10: the last stage of " + dockerfile + " is not FROM eclipse-temurin:<release>");
        }
        return release;
    }

    private static int releaseOf(Path home) {
        try {
            Matcher version = VERSION.matcher(Files.readString(home.resolve("release")));
            return version.find() ? Integer.parseInt(version.group(1)) : -1;
        }
        catch (IOException e) {
            return -1; // not a JDK
        }
    }
}
