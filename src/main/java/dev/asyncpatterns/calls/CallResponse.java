package dev.asyncpatterns.calls;

import java.util.List;

import dev.asyncpatterns.outbound.CallResult;

/**
 * {@code POST /api/calls}' answer: the call's final outcome and how it got there.
 *
 * @param result the last attempt's result, as in a fan-out answer (it may be a failure that is
 *               not worth retrying, such as a 404)
 * @param attempts every attempt in order, the first call being attempt 1
 */
public record CallResponse(CallResult result, List<Attempt> attempts) {
}
