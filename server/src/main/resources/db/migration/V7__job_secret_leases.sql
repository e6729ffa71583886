-- The broker leases held by attempts that were sent to their workers, so that a server that
-- crashed can still end them: at start, the leases of attempts that ended meanwhile are revoked at
-- their backend, and those of attempts still running are kept until those end. No foreign key to
-- jobs: a job deleted by retention must leave its leases here to be revoked.
create table job_secret_leases (
    -- The broker's lease id, one per job and reference.
    lease_id         text        primary key,
    job_id           uuid        not null,
    attempt          integer     not null,
    tenant           text        not null,
    worker_id        text        not null,
    reference        text        not null,
    -- The backend's own lease (a Vault lease id); null when the backend has nothing to revoke.
    backend_lease_id text,
    granted_at       timestamptz not null
);

create index job_secret_leases_job on job_secret_leases (job_id, attempt);
