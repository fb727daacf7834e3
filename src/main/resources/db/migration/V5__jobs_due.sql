-- Delayed jobs (runAt, delayMs) wait as SCHEDULED rows until due_at; promotion to PENDING takes
-- the due ones through this index (oldest due first, FOR UPDATE SKIP LOCKED), and the next due
-- time every instance arms its one timer for is min(due_at) over it. Only SCHEDULED rows are in it,
-- so it stays as small as the set of waiting jobs.
ALTER TABLE jobs ADD COLUMN due_at timestamptz;
CREATE INDEX jobs_due ON jobs (due_at) WHERE state = 'SCHEDULED';
