/** A workload error with a message meant for the person running the benchmark. */
final class BenchFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BenchFailure(String message) {
        super(message, null, false, false);
    }
}
