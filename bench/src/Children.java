import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every process the run starts, so that each is stopped by its own handle: at the end of the
 * workload that started it, and on exit or interrupt (a shutdown hook) whatever is left.
 * Stopping is SIGTERM, a bounded wait, then SIGKILL.
 */
final class Children {

    /** What a short command printed (stdout and stderr together) and its exit status. */
    record Output(int status, String text) {
        boolean ok() {
            return status == 0;
        }
    }

    private static final List<Process> RUNNING = new ArrayList<>();
    private static final List<Runnable> CLEANUPS = new ArrayList<>();

    private Children() {
    }

    static void installShutdownHook() {
        Runtime.getRuntime().addShutdownHook(new Thread(Children::stopAll, "bench-cleanup"));
    }

    /** Starts a process writing stdout and stderr to {@code log}. */
    static Process start(List<String> command, Path log, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (log != null) {
            builder.redirectOutput(log.toFile());
        }
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            synchronized (RUNNING) {
                RUNNING.add(process);
            }
            return process;
        } catch (IOException e) {
            throw new BenchFailure("could not start " + command.get(0) + ": " + e.getMessage());
        }
    }

    /** Runs a command to its end, killing it after {@code timeout}; a timeout is a failure. */
    static Output run(List<String> command, Duration timeout, Map<String, String> env) {
        Path out = tempFile();
        Process process = start(command, out, env);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(process, 5);
                throw new BenchFailure(String.join(" ", command) + " did not end within " + timeout.toSeconds()
                        + " s: " + read(out));
            }
            return new Output(process.exitValue(), read(out));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process, 5);
            throw new BenchFailure("interrupted");
        } finally {
            forget(process);
            out.toFile().delete();
        }
    }

    static Output run(List<String> command, Duration timeout) {
        return run(command, timeout, Map.of());
    }

    /** Something to undo on exit that is not a child process (a PostgreSQL cluster). */
    static synchronized void onExit(Runnable cleanup) {
        CLEANUPS.add(cleanup);
    }

    static synchronized void done(Runnable cleanup) {
        CLEANUPS.remove(cleanup);
    }

    static List<Process> snapshot() {
        synchronized (RUNNING) {
            return new ArrayList<>(RUNNING);
        }
    }

    static void stop(Process process, int seconds) {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                    Log.info("pid " + process.pid() + " did not stop within " + seconds + "s after SIGTERM: SIGKILL");
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        forget(process);
    }

    private static void forget(Process process) {
        synchronized (RUNNING) {
            RUNNING.remove(process);
        }
    }

    private static void stopAll() {
        List<Process> left = snapshot();
        for (int i = left.size() - 1; i >= 0; i--) {
            stop(left.get(i), 20);
        }
        List<Runnable> cleanups;
        synchronized (Children.class) {
            cleanups = new ArrayList<>(CLEANUPS);
        }
        cleanups.forEach(Runnable::run);
    }

    private static Path tempFile() {
        try {
            return File.createTempFile("bench-", ".out").toPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }
}
