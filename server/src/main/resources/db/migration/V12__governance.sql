-- Resource governance: pools gain labels, capacity, rates, a priority and a state; provider
-- instances gain limits shared by their pools; one ledger of reservations for all providers; and
-- tenant quotas. A null capacity or limit is not capped. Existing pools stay ACTIVE, unlabelled,
-- free, and capped only by max_workers, as before.
alter table pools add column labels text not null default '{}';
alter table pools add column cpu_millis bigint check (cpu_millis >= 0);
alter table pools add column memory_mib bigint check (memory_mib >= 0);
alter table pools add column gpus bigint check (gpus >= 0);
alter table pools add column rate_per_worker_hour double precision not null default 0;
alter table pools add column rate_per_vcpu_hour double precision not null default 0;
alter table pools add column rate_per_gib_hour double precision not null default 0;
alter table pools add column priority int not null default 0;
alter table pools add column state text not null default 'ACTIVE'
    check (state in ('ACTIVE', 'DRAINING', 'DISABLED'));

alter table provider_instances add column max_workers int check (max_workers > 0);
alter table provider_instances add column max_cpu_millis bigint check (max_cpu_millis >= 0);
alter table provider_instances add column max_memory_mib bigint check (max_memory_mib >= 0);

-- A job with a pool selector has no pool until it is placed.
alter table jobs alter column pool drop not null;
alter table jobs add column pool_selector text;
-- Why a pending job waits, as JSON: code, message, per-pool rejections, queue position.
alter table jobs add column wait_reason text;

-- The ledger: one row per admitted attempt, written in the transaction that admits it, before
-- any provider call, and deleted in the transaction that ends the attempt.
create table reservations (
    job_id            uuid        not null references jobs (id) on delete cascade,
    attempt           int         not null,
    pool              text        not null,
    provider_instance text        not null,
    tenant            text        not null,
    cpu_millis        bigint      not null,
    memory_mib        bigint      not null,
    gpus              bigint      not null,
    created_at        timestamptz not null default now(),
    primary key (job_id, attempt)
);
create index reservations_pool on reservations (pool);

-- What a tenant may hold at once over all pools; per_label is a JSON list of
-- {selector, limits} caps over the pools carrying some labels.
create table tenant_quotas (
    tenant     text primary key,
    cpu_millis bigint check (cpu_millis >= 0),
    memory_mib bigint check (memory_mib >= 0),
    gpus       bigint check (gpus >= 0),
    workers    bigint check (workers >= 0),
    jobs       bigint check (jobs >= 0),
    weight     double precision not null default 1 check (weight > 0),
    per_label  text        not null default '[]',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
