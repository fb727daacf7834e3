package dev.asyncpatterns.testsupport;

import java.util.Arrays;

/** Looks at live threads, so tests can prove blocking work really stopped (no thread left in it). */
public final class ThreadProbe {

    private ThreadProbe() {
    }

    /** Threads whose current stack runs code of exactly this class (its lambdas included). */
    public static long threadsInside(Class<?> type) {
        return Thread.getAllStackTraces().values().stream()
            .filter(stack -> Arrays.stream(stack).anyMatch(frame -> frame.getClassName().equals(type.getName())))
            .count();
    }
}
