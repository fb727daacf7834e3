import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A throwaway PostgreSQL cluster for W7: Debian's server binaries, initialised under /tmp (the
 * checkout may sit in a folder the postgres user cannot enter, e.g. a mode-700 clone) on a free
 * loopback port, removed again by {@link #stop()}. PostgreSQL refuses to run as root, so as root
 * its programs run as the package's {@code postgres} user.
 */
final class Postgres {

    final Path bin;
    final int port;
    private final Path dir;
    private final Path runDir;
    private final Runnable onExit = this::stop;

    private Postgres(Path bin, Path dir, int port, Path runDir) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.runDir = runDir;
    }

    static Postgres start(RunOptions options) {
        Path bin = Tools.ensurePostgres(options);
        Path dir;
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "asyncpatterns-bench-pg.");
        } catch (IOException e) {
            throw new BenchFailure("cannot create a folder for PostgreSQL: " + e.getMessage());
        }
        Postgres pg = new Postgres(bin, dir, Calls.freePortOrFail(), options.runDir());
        Children.onExit(pg.onExit);
        pg.initAndStart();
        return pg;
    }

    private void initAndStart() {
        if (root()) {
            must(List.of("chown", "postgres", dir.toString()), "chown");
        }
        Children.Output init = asPostgres("initdb", "-D", dir.toString(), "-U", "bench", "-A", "trust", "-E", "UTF8");
        RunFiles.write(runDir.resolve("initdb.log"), init.text());
        if (!init.ok()) {
            throw new BenchFailure("initdb failed (see " + runDir.resolve("initdb.log") + ")");
        }
        Children.Output started = asPostgres("pg_ctl", "-D", dir.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir
                        + " -c max_connections=200", "start");
        if (!started.ok()) {
            throw new BenchFailure("PostgreSQL did not start: " + started.text());
        }
        // The service's database, and one of pgbench's own (Flyway will not migrate a non-empty schema).
        for (String db : List.of("asyncpatterns", "pgbench")) {
            if (!asPostgres("createdb", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "bench", db).ok()) {
                throw new BenchFailure("createdb failed");
            }
        }
        String version = must(List.of(bin.resolve("postgres").toString(), "--version"), "postgres --version")
                .replaceAll(".*?([0-9]+\\.[0-9]+).*", "$1");
        Log.info("PostgreSQL " + version + " on 127.0.0.1:" + port);
    }

    /** One value of a query, unaligned. */
    String sql(String database, String query) {
        return must(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "bench",
                "-d", database, "-tAc", query), "psql").trim();
    }

    long count(String query) {
        return Long.parseLong(sql("asyncpatterns", query));
    }

    /** pgbench as run on this cluster; the text it printed, or a failure. */
    String pgbench(String... args) {
        List<String> line = new ArrayList<>(List.of(bin.resolve("pgbench").toString(), "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-U", "bench"));
        line.addAll(List.of(args));
        Children.Output out = Children.run(line, Duration.ofSeconds(300));
        if (!out.ok()) {
            throw new BenchFailure("pgbench failed: " + out.text());
        }
        return out.text();
    }

    /** The postmaster's pid (postmaster.pid's first line): the server whose children are the backends. */
    long serverPid() {
        try {
            return Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            throw new BenchFailure("cannot read PostgreSQL's postmaster.pid: " + e.getMessage());
        }
    }

    void stop() {
        Children.done(onExit);
        if (!Files.isDirectory(dir)) {
            return;
        }
        if (Files.exists(dir.resolve("postmaster.pid"))) {
            asPostgres("pg_ctl", "-D", dir.toString(), "-m", "fast", "-w", "-t", "60", "stop");
        }
        try {
            Files.copy(dir.resolve("server.log"), runDir.resolve("postgres.log"));
        } catch (IOException e) {
            // No server log: it never started, and initdb.log says why.
        }
        Children.run(List.of("rm", "-rf", dir.toString()), Duration.ofSeconds(60));
    }

    private Children.Output asPostgres(String program, String... args) {
        List<String> line = new ArrayList<>();
        if (root()) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.add(bin.resolve(program).toString());
        line.addAll(List.of(args));
        return Children.run(line, Duration.ofSeconds(120));
    }

    private static String must(List<String> line, String what) {
        Children.Output out = Children.run(line, Duration.ofSeconds(120));
        if (!out.ok()) {
            throw new BenchFailure(what + " failed: " + out.text());
        }
        return out.text();
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
