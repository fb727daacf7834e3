import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The run's log: each line with its UTC time, to stderr and to run.log in the run folder. */
final class Log {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static Path file;

    private Log() {
    }

    static void to(Path runLog) {
        file = runLog;
    }

    /** Prints and keeps the line; returns it as written (errors quote their own log line). */
    static synchronized String info(String message) {
        String line = LocalTime.now(ZoneOffset.UTC).format(TIME) + " " + message;
        System.err.println(line);
        if (file != null) {
            try {
                Files.writeString(file, line + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return line;
    }
}
