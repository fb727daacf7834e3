package dev.asyncpatterns.jobs;

/**
 * A per-caller admission check run before a job starts (a quota, for instance). It sees how many
 * non-terminal jobs the caller already has, this one included, and refuses by throwing an
 * exception that answers for itself (an {@code ErrorResponseException}, typically 429).
 */
@FunctionalInterface
public interface JobAdmission {

    /**
     * @param caller the caller's name, null when anonymous
     * @param activeJobs the caller's non-terminal jobs counting the one being admitted
     */
    void admit(String caller, int activeJobs);
}
