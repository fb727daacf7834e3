import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * W3's and W10's control app, {@code bench/control}: built from this checkout with the repository's Maven
 * wrapper (everything it needs is what the service's build already fetched, so it builds offline
 * once the service has), started by {@link Service#startControl}.
 */
final class ControlApp {

    private ControlApp() {
    }

    /**
     * Builds the jar into the run folder's {@code lib/}, which run.sh deletes at exit with the other
     * copied jars; per run, so a concurrent run cannot replace the jar under a running control.
     * Built once per run: W3 and W10 both start it.
     */
    static Path build(Context c) {
        Path root = c.options.root();
        Path dir = c.options.runDir().resolve("lib/control");
        Path jar = dir.resolve("bench-control.jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        Log.info("building the control app (bench/control)");
        Children.Output out = Children.run(List.of(root.resolve("mvnw").toString(), "-q", "-B",
                "-f", root.resolve("bench/control/pom.xml").toString(),
                "-Dcontrol.build.directory=" + dir, "package"), Duration.ofSeconds(600));
        RunFiles.write(c.file("control-build.log"), out.text());
        if (!out.ok()) {
            String text = out.text();
            throw new BenchFailure("bench/control did not build (" + c.file("control-build.log") + "): ..."
                    + text.substring(Math.max(0, text.length() - 600)));
        }
        return jar;
    }
}
