import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The outside programs some workloads need: installed from Debian when missing and root. */
final class Tools {

    private Tools() {
    }

    static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }

    static void ensureWrk(RunOptions options) {
        if (onPath("wrk")) {
            return;
        }
        if (canInstall()) {
            Log.info("wrk is missing: installing the Debian package");
            install(options, "update -qq", "wrk");
        }
        if (!onPath("wrk")) {
            throw new BenchFailure("wrk is not installed: apt-get install wrk (Debian package), then re-run");
        }
    }

    /** The newest PostgreSQL server's bin folder with pgbench in it. */
    static Path ensurePostgres(RunOptions options) {
        Optional<Path> bin = postgresBin();
        if (bin.isEmpty() && canInstall()) {
            Log.info("PostgreSQL is missing: installing the Debian package");
            install(options, null, "postgresql");
            bin = postgresBin();
        }
        return bin.filter(b -> Files.isExecutable(b.resolve("pgbench"))).orElseThrow(() -> new BenchFailure(
                "W7 needs PostgreSQL's server binaries and pgbench (Debian: apt-get install postgresql)"));
    }

    private static Optional<Path> postgresBin() {
        Path versions = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(versions)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(versions)) {
            return dirs.map(d -> d.resolve("bin")).filter(Files::isDirectory)
                    .max(Comparator.comparing(Tools::majorVersion));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean canInstall() {
        return "root".equals(System.getProperty("user.name")) && onPath("apt-get");
    }

    private static void install(RunOptions options, String update, String pkg) {
        Path log = options.runDir().resolve("apt.log");
        String script = (update == null ? "" : "apt-get " + update + " && ")
                + "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq " + pkg + " >>" + log + " 2>&1";
        if (!Children.run(List.of("bash", "-c", script), Duration.ofSeconds(900)).ok()) {
            throw new BenchFailure("apt-get install " + pkg + " failed (see " + log + ")");
        }
    }
}
