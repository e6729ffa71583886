-- The embedded secret store: ciphertext only (AES-256-GCM under the master key named by key_id).
create table secrets (
    name        text        not null,
    version     integer     not null check (version > 0),
    nonce       bytea       not null,
    ciphertext  bytea       not null,
    key_id      text        not null,
    created_at  timestamptz not null,
    primary key (name, version)
);

-- Every issue, renewal, rotation, denial, revocation and failure of the credential broker.
-- Never a value.
create table credential_audit (
    id           bigserial   primary key,
    at           timestamptz not null,
    action       text        not null,
    caller_kind  text,
    caller_name  text,
    -- Null when the broker acted on its own (a scheduled refresh): only operators see those.
    tenant       text,
    reference    text        not null,
    lease_id     text,
    job_id       text,
    worker_id    text,
    outcome      text        not null,
    detail       text        not null
);

create index credential_audit_tenant_at on credential_audit (tenant, at desc);
