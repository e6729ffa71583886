-- A shared pool whose provider cannot isolate workers from each other (the local provider
-- without its sandbox) takes no jobs unless an operator sets this, accepting that its tenants'
-- jobs can read each other's secrets.
alter table pools add column allow_unisolated boolean not null default false;
