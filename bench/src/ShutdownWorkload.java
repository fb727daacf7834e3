import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** W5: SIGTERM with running ticker jobs; how long until the process exits, and its summary line. */
final class ShutdownWorkload {

    private static final int TICK_MS = 1000;
    private static final Pattern SHUTDOWN_LINE = Pattern.compile("(?i)shut ?down|summary");

    private ShutdownWorkload() {
    }

    static void run(Context c) {
        int tickers = c.sizes.w5Tickers();
        int graceMs = c.sizes.w5GraceMs();
        List<Double> exits = new ArrayList<>();
        List<Double> overs = new ArrayList<>();
        List<Double> counted = new ArrayList<>();
        List<Double> cancels = new ArrayList<>();
        for (int rep = 1; rep <= c.options.heavyReps(); rep++) {
            Service service = Service.start(c, "W5-" + rep, "--asyncpatterns.jobs.shutdown-grace=" + graceMs + "ms");
            c.warmJobs(service);
            c.submit(service, tickers, "{\"type\":\"ticker\",\"params\":{\"intervalMs\":" + TICK_MS + "}}");
            Pause.millis(2000);
            long running = service.activeJobs();
            if (running != tickers) {
                throw new BenchFailure("W5: " + running + " jobs active before SIGTERM, expected " + tickers);
            }
            long linesBefore = service.logLines();
            long start = System.nanoTime();
            service.process.destroy();
            long elapsed = (awaitExit(service, graceMs / 1000 + 60) - start) / 1_000_000;
            List<String> after = service.logLinesAfter(linesBefore);
            Pattern all = Pattern.compile("(^|[^0-9])" + tickers + "([^0-9]|$)");
            Optional<String> summary = after.stream()
                    .filter(l -> SHUTDOWN_LINE.matcher(message(l)).find() && all.matcher(message(l)).find()).findFirst();
            if (summary.isEmpty()) {
                System.err.println(String.join("\n", after.subList(Math.max(0, after.size() - 30), after.size())));
                throw new BenchFailure("W5: no shutdown log line mentioning all " + tickers
                        + " jobs after SIGTERM (log tail above; " + service.log + ")");
            }
            Log.info("W5 rep " + rep + ": exited (status " + service.process.exitValue() + ") " + elapsed
                    + " ms after SIGTERM, grace " + graceMs + " ms; summary: " + summary.get());
            RunFiles.append(c.file("W5-summaries.txt"), summary.get());
            // The registry's line reads "... N running jobs at shutdown, F finished within ..., C
            // cancelled"; if its wording changes, the check above (the line names all N) still holds.
            exits.add((double) elapsed);
            overs.add((double) (elapsed - graceMs));
            counted.add(number(summary.get(), "([0-9]+) running jobs").orElse((double) tickers));
            number(summary.get(), "([0-9]+) cancelled").ifPresent(cancels::add);
        }
        Report r = c.report;
        r.row("W5", "exit after SIGTERM with " + tickers + " running tickers (ms; grace " + graceMs + " ms)", exits);
        r.row("W5", "exit time minus grace (ms)", overs, List.of(), "<= 300 ms", Report.Check.medianAtMost(300));
        r.row("W5", "running jobs counted by the shutdown log line (W5-summaries.txt)", counted, List.of(),
                "= " + tickers, Report.Check.medianIs(tickers));
        r.row("W5", "jobs the shutdown log line says were cancelled", cancels);
    }

    /** The moment the service exited after SIGTERM; SIGKILL and a failure after {@code seconds}. */
    private static long awaitExit(Service service, int seconds) {
        try {
            if (!service.process.waitFor(seconds, TimeUnit.SECONDS)) {
                service.process.destroyForcibly();
                throw new BenchFailure("W5: the service did not exit within grace + 60 s (killed)");
            }
            return System.nanoTime();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }

    /**
     * A log line's message, after Spring Boot's {@code " : "}: the count must not be matched in the
     * timestamp or the thread name (with 50 smoke tickers, "03:50:22" once passed for the line).
     */
    private static String message(String line) {
        int colon = line.indexOf(" : ");
        return colon >= 0 ? line.substring(colon + 3) : line;
    }

    private static Optional<Double> number(String line, String regex) {
        Matcher m = Pattern.compile(regex).matcher(line);
        return m.find() ? Optional.of(Double.valueOf(m.group(1))) : Optional.empty();
    }
}
