package dev.asyncpatterns.jobs;

/**
 * A per-caller admission check run before a job starts (a quota, for instance): it sees who asks
 * and what the job will hold (its {@link JobCost}, never the job type's params), reserves that
 * while the job runs, and refuses by throwing an exception that answers for itself (an
 * {@code ErrorResponseException}, typically 429).
 */
@FunctionalInterface
public interface JobAdmission {

    /**
     * Admits the job or throws.
     *
     * @param caller who submits the job: its name (null when anonymous) and network address
     * @param cost what the job will hold while it runs, as its type computed it from the bound params
     * @return gives back what was reserved; the registry runs it exactly once, when the job ends in
     *         any state, or at once if the job is not started after all
     */
    Runnable admit(JobCaller caller, JobCost cost);
}
