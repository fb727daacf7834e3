package dev.asyncpatterns.fanout;

import java.util.ArrayList;
import java.util.List;

import dev.asyncpatterns.outbound.CallResult;

/**
 * {@code wait}'s answer.
 *
 * @param done the calls that finished, in request order
 * @param pending the calls that had not finished (running, or not yet started), now cancelled
 * @param elapsedMs time the wait took
 */
record WaitResponse(List<CallResult> done, List<PendingCall> pending, long elapsedMs) {

    static WaitResponse of(CallResult[] byIndex, Plan plan, long elapsedMs) {
        List<CallResult> done = new ArrayList<>();
        List<PendingCall> pending = new ArrayList<>();
        for (int i = 0; i < byIndex.length; i++) {
            if (byIndex[i] != null) {
                done.add(byIndex[i]);
            }
            else {
                pending.add(new PendingCall(i, plan.url(i)));
            }
        }
        return new WaitResponse(done, pending, elapsedMs);
    }

    /** A call that was still pending when the wait returned. */
    record PendingCall(int index, String url) {
    }
}
