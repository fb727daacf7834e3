package dev.asyncpatterns.fanout;

import java.util.Arrays;
import java.util.List;

import dev.asyncpatterns.outbound.CallResult;

/**
 * A gather's answer (and a {@code fetch} job's result).
 *
 * @param results one per URL, in request order
 * @param succeeded how many calls succeeded
 * @param failed how many failed
 * @param elapsedMs time the whole operation took
 */
public record GatherResponse(List<CallResult> results, int succeeded, int failed, long elapsedMs) {

    static GatherResponse of(CallResult[] inRequestOrder, long elapsedMs) {
        int succeeded = 0;
        for (CallResult result : inRequestOrder) {
            succeeded += result.ok() ? 1 : 0;
        }
        return new GatherResponse(Arrays.asList(inRequestOrder), succeeded, inRequestOrder.length - succeeded,
                elapsedMs);
    }
}
