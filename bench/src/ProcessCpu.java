import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time from /proc in clock ticks (W7's shares of the machine): a process's own, a server's
 * with its children, and the whole machine's. Differences of two readings are what count, so the
 * tick length never matters.
 */
final class ProcessCpu {

    private ProcessCpu() {
    }

    /** Every CPU's time in every state (/proc/stat's first line): the machine's whole budget so far. */
    static long machine() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            return Arrays.stream(first.substring("cpu".length()).trim().split("\\s+")).mapToLong(Long::parseLong).sum();
        } catch (IOException e) {
            throw new BenchFailure("cannot read /proc/stat: " + e.getMessage());
        }
    }

    /** utime + stime of a live process (0 once it has gone). */
    static long own(long pid) {
        List<String> f = fields(pid);
        return f.isEmpty() ? 0 : Long.parseLong(f.get(11)) + Long.parseLong(f.get(12));
    }

    /**
     * A server and its children, such as PostgreSQL's postmaster and its backends: its own time,
     * that of the children it has reaped (cutime + cstime) and that of the children still running.
     */
    static long withChildren(long pid) {
        List<String> f = fields(pid);
        if (f.isEmpty()) {
            throw new BenchFailure("process " + pid + " is gone");
        }
        long total = Long.parseLong(f.get(11)) + Long.parseLong(f.get(12)) + Long.parseLong(f.get(13))
                + Long.parseLong(f.get(14));
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            return total + all.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]+"))
                    .mapToLong(Long::parseLong)
                    .filter(child -> {
                        List<String> c = fields(child);
                        return !c.isEmpty() && Long.parseLong(c.get(1)) == pid;
                    })
                    .map(ProcessCpu::own).sum();
        } catch (IOException e) {
            throw new BenchFailure("cannot list /proc: " + e.getMessage());
        }
    }

    /** /proc/PID/stat's fields after the command name (state first, ppid second), none when it has gone. */
    private static List<String> fields(long pid) {
        try {
            String line = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return List.of(line.substring(line.lastIndexOf(')') + 2).trim().split(" "));
        } catch (IOException e) {
            return List.of();
        }
    }
}
