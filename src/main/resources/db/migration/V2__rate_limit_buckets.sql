-- Bucket4j's state for the global rate limiters (asyncpatterns.calls.global-rate-limiters.*), one
-- row per limiter name, updated under a PostgreSQL advisory lock.
CREATE TABLE rate_limit_buckets (
    id    varchar(200) PRIMARY KEY,
    state bytea
);
