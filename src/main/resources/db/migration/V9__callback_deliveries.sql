-- Completion callbacks (API.md section 12) with store=postgres: one row per job submitted with a
-- callback, written by the statement that stores the job (JobRows.insert), so a job never exists
-- without the delivery it asked for. The row outlives any instance: whichever instance is alive
-- when it comes due delivers it.
--
-- state is what the job JSON shows: PENDING (the job has not ended, or a delivery is under way),
-- DELIVERED or FAILED. next_attempt_at is NULL while the job runs; when it ends it is the time
-- of the next try, which claims take oldest first (FOR UPDATE SKIP LOCKED). A claim pushes it past
-- the longest a try may take, so it doubles as the claimer's lease: if that instance dies mid-try,
-- the row comes due again and another instance takes it over. delivery numbers the deliveries
-- (webhook-id msg_<job>_<delivery>, the same on every try of one); attempts counts the tries of the
-- current one, each counted when claimed. instance_id is who made (or makes) the last try: every
-- write of an outcome is guarded by it and by the attempt, so a late answer cannot overwrite a
-- takeover. The job's deletion (retention, DELETE) takes its delivery with it.
CREATE TABLE callback_deliveries (
    job_id          uuid          PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    url             varchar(2048) NOT NULL,
    state           varchar(16)   NOT NULL DEFAULT 'PENDING',
    delivery        integer       NOT NULL DEFAULT 0,
    attempts        integer       NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    last_status     integer,
    delivered_at    timestamptz,
    instance_id     varchar(200)
);

CREATE INDEX callback_deliveries_due ON callback_deliveries (next_attempt_at) WHERE state = 'PENDING';

-- Starts the next delivery of a job's callback (POST /api/jobs/{id}/callback/redeliver, and the
-- trigger below): due now, a new webhook-id, no tries yet. A delivery still under way goes on (true
-- only when one started); the 'd' notification wakes every instance's claims.
CREATE FUNCTION callback_delivery_start(job uuid) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    started boolean;
BEGIN
    UPDATE callback_deliveries SET state = 'PENDING', delivery = delivery + 1, attempts = 0,
        next_attempt_at = now(), last_status = NULL, delivered_at = NULL, instance_id = NULL
    WHERE job_id = job AND NOT (state = 'PENDING' AND next_attempt_at IS NOT NULL);
    started := FOUND;
    IF started THEN
        PERFORM pg_notify('asyncpatterns_jobs', 'd');
    END IF;
    RETURN started;
END $$;

-- A job reaches its final state in several statements (its owner's finish, the reaper settling a
-- lost instance or a timeout, a cancel of a waiting job, a retry given up). This trigger starts the
-- delivery in whichever of them did it, in its transaction: the end and the delivery it owes become
-- durable together, so a job that ended on an instance dying right after still gets its callback.
-- A job without a callback costs one primary-key lookup that finds nothing.
CREATE FUNCTION callback_deliveries_job_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM callback_delivery_start(NEW.id);
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_ended_callback AFTER UPDATE OF state ON jobs FOR EACH ROW
    WHEN (NEW.state IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT')
          AND OLD.state NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'))
    EXECUTE FUNCTION callback_deliveries_job_ended();
