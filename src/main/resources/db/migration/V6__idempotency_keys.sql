-- Idempotency-Key of POST /api/jobs (API.md section 12), shared by every instance. The primary key
-- (caller, key) is what makes concurrent repeats safe across instances: exactly one INSERT claims
-- a key, the others read what it holds. response stays NULL while the first submit is admitted;
-- expires_at is short then (a claim left by a dead instance frees itself) and the TTL once answered.
-- The reaper deletes expired rows; a key outlives its job, which retention deletes on its own terms.
-- caller is the caller's name, '' when anonymous (a primary key column cannot be NULL).
CREATE TABLE idempotency_keys (
    caller       varchar(200) NOT NULL,
    key          varchar(255) NOT NULL,
    fingerprint  char(64)     NOT NULL,
    response     jsonb,
    expires_at   timestamptz  NOT NULL,
    PRIMARY KEY (caller, key)
);

CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
