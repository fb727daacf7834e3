import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;

/**
 * The results table: one row per metric with the median, min and max of its runs, the ratio of
 * its median to the floor's, the target and whether the median met it (smoke runs judge nothing).
 */
final class Report {

    /** A target on a row's statistics. */
    record Check(String what, DoublePredicate test) {
        static Check medianAtMost(double limit) {
            return new Check("median", v -> v <= limit);
        }

        static Check medianAtLeast(double limit) {
            return new Check("median", v -> v >= limit);
        }

        static Check medianIs(double value) {
            return new Check("median", v -> v == value);
        }

        static Check ratioAtMost(double limit) {
            return new Check("ratio", v -> v <= limit);
        }

        static Check maxIs(double value) {
            return new Check("max", v -> v == value);
        }

        static Check maxAtMost(double limit) {
            return new Check("max", v -> v <= limit);
        }
    }

    private record Row(String workload, String metric, double[] values, double[] floor, String target,
                       List<Check> checks) {
    }

    private final boolean smoke;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    Report(boolean smoke) {
        this.smoke = smoke;
    }

    /** A row without a floor or a target. */
    void row(String workload, String metric, List<Double> values) {
        row(workload, metric, values, List.of(), "");
    }

    synchronized void row(String workload, String metric, List<Double> values, List<Double> floor, String target,
                          Check... checks) {
        rows.add(new Row(workload, metric, sorted(values), sorted(floor), target, List.of(checks)));
    }

    synchronized void error(String workload, String message) {
        errors.add(message);
        rows.add(new Row(workload, "ERRORED: see the log", new double[0], new double[0], "", List.of()));
    }

    synchronized int errorCount() {
        return errors.size();
    }

    synchronized String markdown() {
        StringBuilder out = new StringBuilder()
                .append("| workload | metric | median | min | max | runs | ratio to floor | target | met |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---|---|\n");
        for (Row row : rows) {
            double[] v = row.values();
            boolean any = v.length > 0;
            Double median = any ? median(v) : null;
            Double ratio = any && row.floor().length > 0 && median(row.floor()) > 0 ? median / median(row.floor()) : null;
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    row.workload(), row.metric(), fmt(median), any ? fmt(v[0]) : "", any ? fmt(v[v.length - 1]) : "",
                    any ? Integer.toString(v.length) : "", ratio == null ? "" : new BigDecimal(ratio).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + "x",
                    row.target(), met(row, median, ratio)));
        }
        if (!errors.isEmpty()) {
            out.append("\nErrors:\n");
            errors.forEach(e -> out.append("- ").append(e).append('\n'));
        }
        return out.toString();
    }

    private String met(Row row, Double median, Double ratio) {
        if (row.checks().isEmpty() || median == null) {
            return "";
        }
        if (smoke) {
            return "not judged (smoke)";
        }
        double max = row.values()[row.values().length - 1];
        for (Check check : row.checks()) {
            Double value = switch (check.what()) {
                case "median" -> median;
                case "ratio" -> ratio;
                default -> max;
            };
            if (value == null || !check.test().test(value)) {
                return "**MISSED**";
            }
        }
        return "yes";
    }

    static double median(List<Double> values) {
        return median(sorted(values));
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Whole numbers and values of 100 or more without decimals, 10-100 to 0.1, smaller to 3
     * significant digits; halves round to even on the exact binary value, as C's printf does.
     */
    static String fmt(Double v) {
        if (v == null) {
            return "";
        }
        double a = Math.abs(v);
        BigDecimal exact = new BigDecimal(v);
        if (v == Math.rint(v) || a >= 100) {
            return exact.setScale(0, RoundingMode.HALF_EVEN).toPlainString();
        }
        if (a >= 10) {
            return exact.setScale(1, RoundingMode.HALF_EVEN).toPlainString();
        }
        return exact.round(new MathContext(3, RoundingMode.HALF_EVEN)).stripTrailingZeros().toPlainString();
    }

    /** Rounds a measured value as it is recorded (heap to 0.1 MiB, ratios to 0.001, ...). */
    static double round(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_EVEN).doubleValue();
    }

    private static double[] sorted(List<Double> values) {
        double[] array = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(array);
        return array;
    }
}
