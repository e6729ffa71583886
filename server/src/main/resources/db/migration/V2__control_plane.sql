-- The control plane's state. PostgreSQL is the only source of truth: a restarted server resumes
-- from these tables alone.

CREATE TABLE provider_instances (
    name       TEXT PRIMARY KEY,
    type       TEXT        NOT NULL,
    -- Settings as a JSON object of strings. Credentials appear only as references.
    config     TEXT        NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE pools (
    name                    TEXT PRIMARY KEY,
    provider_instance       TEXT        NOT NULL REFERENCES provider_instances (name),
    max_workers             INT         NOT NULL CHECK (max_workers > 0),
    max_jobs_per_worker     INT         NOT NULL DEFAULT 1 CHECK (max_jobs_per_worker > 0),
    idle_timeout_ms         BIGINT      NOT NULL,
    provisioning_timeout_ms BIGINT      NOT NULL,
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE jobs (
    id               UUID PRIMARY KEY,
    tenant           TEXT        NOT NULL,
    name             TEXT        NOT NULL,
    -- The job spec as submitted (JSON), without secret values.
    spec             TEXT        NOT NULL,
    pool             TEXT        NOT NULL,
    state            TEXT        NOT NULL,
    attempt          INT         NOT NULL DEFAULT 1,
    worker_id        UUID,
    exit_code        INT,
    -- Why the job is in its state: the wait reason while PENDING, the failure when it ended.
    reason           TEXT,
    failure_kind     TEXT,
    cancel_requested_at TIMESTAMPTZ,
    next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    dispatched_at    TIMESTAMPTZ,
    started_at       TIMESTAMPTZ,
    deadline_at      TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX jobs_pending ON jobs (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX jobs_active ON jobs (state) WHERE state IN ('PROVISIONING', 'RUNNING');
CREATE INDEX jobs_tenant_created ON jobs (tenant, created_at DESC);

CREATE TABLE job_events (
    id         BIGSERIAL PRIMARY KEY,
    job_id     UUID        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt    INT         NOT NULL,
    from_state TEXT,
    to_state   TEXT        NOT NULL,
    reason     TEXT        NOT NULL DEFAULT '',
    at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX job_events_job ON job_events (job_id, id);

CREATE TABLE job_logs (
    job_id   UUID        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt  INT         NOT NULL,
    sequence BIGINT      NOT NULL,
    stream   TEXT        NOT NULL,
    step     TEXT        NOT NULL DEFAULT '',
    text     TEXT        NOT NULL,
    at       TIMESTAMPTZ NOT NULL,
    -- A resent batch after a reconnect is ignored, line by line.
    PRIMARY KEY (job_id, attempt, sequence)
);

CREATE TABLE workers (
    id                    UUID PRIMARY KEY,
    pool                  TEXT        NOT NULL,
    provider_instance     TEXT        NOT NULL,
    state                 TEXT        NOT NULL,
    state_reason          TEXT        NOT NULL DEFAULT '',
    -- The provider's own id for the worker and what it needs to find it again.
    resource_id           TEXT,
    handle_attributes     TEXT        NOT NULL DEFAULT '{}',
    job_id                UUID,
    jobs_run              INT         NOT NULL DEFAULT 0,
    session_hash          TEXT UNIQUE,
    last_heartbeat        TIMESTAMPTZ,
    registered_at         TIMESTAMPTZ,
    idle_since            TIMESTAMPTZ,
    provisioning_deadline TIMESTAMPTZ NOT NULL,
    -- Set once the provider has confirmed the resource is gone.
    released_at           TIMESTAMPTZ,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX workers_live ON workers (pool, state) WHERE released_at IS NULL;

CREATE TABLE bootstrap_tokens (
    -- SHA-256 of the token; the token itself is never stored.
    hash       TEXT PRIMARY KEY,
    worker_id  UUID        NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX bootstrap_tokens_expiry ON bootstrap_tokens (expires_at);
