import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/** The results header: the machine, the JDK, the jar and the sizes a run used. */
final class Machine {

    private Machine() {
    }

    static String header(RunOptions o) {
        RunOptions.Sizes s = o.sizes();
        String javaOpts = String.join(" ", Jvm.words("SERVICE_JAVA_OPTS"));
        String args = String.join(" ", Jvm.words("SERVICE_ARGS"));
        return "- Machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpuModel() + "), "
                + memoryGib() + " GiB RAM, " + first(List.of("uname", "-sr")) + ".\n"
                + "  The load generator (wrk or the bench JVM), the upstream and the service share these cores.\n"
                + "- JDK: " + first(List.of(Jvm.tool("java"), "-version")) + "; heap of the service (and of W3's control) " + Service.HEAP + " " + String.join(" ", Service.HEAP_SIZING)
                + (javaOpts.isEmpty() ? "" : " and " + javaOpts) + (args.isEmpty() ? "" : ", arguments " + args)
                + "; wrk: " + wrkVersion() + "\n"
                + "- Jar: `" + relative(o, o.jar()) + "` (built " + buildTime(o.jar()).orElse("at an unknown time")
                + "); this checkout is at commit " + commit(o) + "\n"
                + "- Sizes: W1 " + s.w1Urls() + " URLs; W2 " + s.w2Urls() + " URLs at " + s.w2Concurrency() + "; W3 "
                + s.w3PostWarmupSeconds() + "s (a service's POST) or " + s.w3WarmupSeconds() + "s warm-up + " + s.w3Seconds()
                + "s x " + o.heavyReps() + " per endpoint; W4 " + s.w4Jobs()
                + " jobs x " + o.heavyReps() + "; W5 " + s.w5Tickers() + " tickers x " + o.heavyReps() + "; W6 "
                + s.w6Jobs() + " jobs at " + s.w6Rate() + "/s; W10 " + o.heavyReps() + " starts of each kind; W1/W2 " + o.reps()
                + " measured runs.\n";
    }

    static String relative(RunOptions o, Path path) {
        return path.startsWith(o.root()) ? o.root().relativize(path).toString() : path.toString();
    }

    private static String cpuModel() {
        return lines("/proc/cpuinfo").stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(": ") + 2)).orElse("");
    }

    private static String memoryGib() {
        return lines("/proc/meminfo").stream().filter(l -> l.startsWith("MemTotal")).findFirst()
                .map(l -> String.format(java.util.Locale.ROOT, "%.0f", Double.parseDouble(l.replaceAll("[^0-9]", "")) / 1_048_576))
                .orElse("?");
    }

    private static String wrkVersion() {
        if (!Tools.onPath("wrk")) {
            return "not installed";
        }
        String[] words = first(List.of("wrk", "-v")).split(" ");
        return words.length >= 2 ? words[0] + " " + words[1] : words[0];
    }

    private static Optional<String> buildTime(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            ZipEntry entry = file.getEntry("META-INF/build-info.properties");
            if (entry == null) {
                return Optional.empty();
            }
            try (InputStream in = file.getInputStream(entry)) {
                Properties properties = new Properties();
                properties.load(in);
                return Optional.ofNullable(properties.getProperty("build.time"));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String commit(RunOptions o) {
        Children.Output head = Children.run(List.of("git", "-C", o.root().toString(), "rev-parse", "--short", "HEAD"),
                Duration.ofSeconds(30));
        boolean clean = Children.run(List.of("git", "-C", o.root().toString(), "diff", "--quiet", "HEAD"),
                Duration.ofSeconds(60)).ok();
        return (head.ok() ? head.text() : "?") + (clean ? "" : " with uncommitted changes");
    }

    private static String first(List<String> command) {
        Children.Output out = Children.run(command, Duration.ofSeconds(30));
        return out.text().lines().findFirst().orElse("");
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            return List.of();
        }
    }
}
