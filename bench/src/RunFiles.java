import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The run folder's text files: outputs kept for whoever reads a run afterwards. */
final class RunFiles {

    private RunFiles() {
    }

    static void write(Path file, String text) {
        save(file, text, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    static void append(Path file, String text) {
        save(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void save(Path file, String text, StandardOpenOption... options) {
        try {
            Files.writeString(file, text + "\n", options);
        } catch (IOException e) {
            throw new BenchFailure("cannot write " + file + ": " + e.getMessage());
        }
    }
}
