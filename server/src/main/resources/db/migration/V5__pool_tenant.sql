-- A pool may belong to one tenant: only that tenant's jobs run there and only its users see it.
-- Null keeps the pool shared by every tenant, as all pools were before.
alter table pools add column tenant text;
