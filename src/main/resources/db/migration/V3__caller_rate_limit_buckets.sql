-- Bucket4j's state for the per-caller rate limit (asyncpatterns.security.rate-limit.*) when the
-- store is shared: one row per API key name, JWT subject or client IP, so a caller's limit holds
-- across every instance. expires_at (epoch ms) lets the cleaner drop buckets that have refilled,
-- which bounds the table however many addresses call. explicit_lock holds the advisory-lock id
-- Bucket4j derives from the key, which its expired-row cleaner locks on.
CREATE TABLE caller_rate_limit_buckets (
    id            varchar(300) PRIMARY KEY,
    state         bytea,
    expires_at    bigint,
    explicit_lock bigint
);

CREATE INDEX caller_rate_limit_buckets_expiry ON caller_rate_limit_buckets (expires_at);
