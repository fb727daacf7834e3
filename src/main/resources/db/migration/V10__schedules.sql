-- Recurring schedules (API.md section 11). A schedule is a row every instance polls: the due ones
-- (next_run_at <= now(), not paused) are claimed FOR UPDATE SKIP LOCKED, their next_run_at moved to
-- the first time after now in the same transaction (so an outage starts at most one catch-up run),
-- and each due time gets one schedule_runs row, its primary key (schedule_id, scheduled_for) being
-- what makes a due time start one job however many instances look at it. next_run_at is NULL while
-- paused. The runs of a schedule are kept to its newest few; they go with it when it is deleted.
-- Jobs a schedule started carry its id (no foreign key: the jobs outlive a deleted schedule).
CREATE TABLE schedules (
    id uuid PRIMARY KEY,
    name varchar(200) NOT NULL,
    cron varchar(200),
    every_ms bigint,
    time_zone varchar(64) NOT NULL,
    job jsonb NOT NULL,
    overlap varchar(20) NOT NULL,
    created_by varchar(200),
    created_at timestamptz NOT NULL,
    paused boolean NOT NULL DEFAULT false,
    next_run_at timestamptz,
    CHECK ((cron IS NULL) <> (every_ms IS NULL))
);
CREATE INDEX schedules_due ON schedules (next_run_at) WHERE NOT paused;
CREATE INDEX schedules_owner ON schedules (created_by);

CREATE TABLE schedule_runs (
    schedule_id uuid NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    scheduled_for timestamptz NOT NULL,
    job_id uuid,
    state varchar(20) NOT NULL,
    detail text,
    PRIMARY KEY (schedule_id, scheduled_for)
);

ALTER TABLE jobs ADD COLUMN schedule_id uuid;
