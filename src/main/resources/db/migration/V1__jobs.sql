-- Jobs shared by every instance (asyncpatterns.store=postgres). The row is the truth; each
-- instance runs the jobs it claimed (instance_id) while it keeps renewing their lease.
CREATE TABLE jobs (
    id                 uuid         PRIMARY KEY,
    seq                bigserial    NOT NULL,
    type               varchar(64)  NOT NULL,
    name               varchar(200),
    state              varchar(16)  NOT NULL,
    params             jsonb        NOT NULL,
    timeout_ms         bigint,
    created_by         varchar(200),
    on_instance_loss   varchar(8)   NOT NULL,
    instance_id        varchar(200),
    attempt            integer      NOT NULL DEFAULT 0,
    lease_expires_at   timestamptz,
    cancel_requested   boolean      NOT NULL DEFAULT false,
    progress_completed bigint       NOT NULL DEFAULT 0,
    progress_total     bigint,
    result             jsonb,
    error              jsonb,
    cancel_reason      varchar(16),
    created_at         timestamptz  NOT NULL,
    started_at         timestamptz,
    first_started_at   timestamptz,
    finished_at        timestamptz
);

-- Claims take the oldest PENDING rows; the reaper scans RUNNING leases; retention scans finished_at.
CREATE INDEX jobs_pending ON jobs (seq) WHERE state = 'PENDING';
CREATE INDEX jobs_running ON jobs (lease_expires_at) WHERE state = 'RUNNING';
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX jobs_newest ON jobs (seq DESC);

-- One row per instance that ever joined: GET /api/cluster.
CREATE TABLE instances (
    id            varchar(200) PRIMARY KEY,
    started_at    timestamptz  NOT NULL,
    heartbeat_at  timestamptz  NOT NULL,
    state         varchar(16)  NOT NULL,
    running_jobs  integer      NOT NULL DEFAULT 0
);
