-- Whole-job retries (API.md section 11). retry holds the job's normalized policy, NULL for a job
-- submitted without one; attempts holds the attempts that ended, oldest first, at most 20 (NULL for
-- a job that never retries, which keeps plain rows as they were). A job waiting for its next attempt
-- is a SCHEDULED row with due_at, promoted and claimed like any delayed job (jobs_due). requeued is
-- set by POST /api/jobs/{id}/retry: that attempt has no backoff budget left, whatever the policy says.
ALTER TABLE jobs ADD COLUMN retry jsonb;
ALTER TABLE jobs ADD COLUMN attempts jsonb;
ALTER TABLE jobs ADD COLUMN requeued boolean NOT NULL DEFAULT false;
