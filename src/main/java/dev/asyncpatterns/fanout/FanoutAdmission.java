package dev.asyncpatterns.fanout;

/**
 * A per-caller admission check run when a fan-out request answered over HTTP starts, before any
 * of its calls (a quota on outbound calls in flight, for instance). It reserves the request's
 * calls for the caller and refuses by throwing an exception that answers for itself (an
 * {@code ErrorResponseException}, typically 429), in which case no call is made.
 *
 * <p>A request reserves {@code min(urls, concurrency)}: the most calls it can ever have in flight
 * at once. Reserving that up front, rather than a permit per call as each starts, keeps the
 * answer predictable: a request is refused whole before anything leaves the service, or runs to
 * its end at its asked-for concurrency; it never stalls halfway waiting for permits another
 * request of the same caller holds, and two requests cannot deadlock each other half-admitted.
 * The cost is that a request holds its permits while its last calls drain, a bounded overcount.
 * The {@code fetch} job's gather is admitted as a job (see {@code JobAdmission}), not here.
 */
@FunctionalInterface
public interface FanoutAdmission {

    /** Admits everything; what runs when no access-control layer provides an admission. */
    FanoutAdmission UNLIMITED = (caller, calls) -> () -> { };

    /**
     * Admits the request or throws.
     *
     * @param caller who asks
     * @param calls the calls to reserve: {@code min(urls, concurrency)}
     * @return gives the calls back; run exactly once, when the request ends by completing, failing,
     *         timing out or being cancelled (a client that disconnects, for instance)
     */
    Runnable admit(FanoutCaller caller, int calls);
}
