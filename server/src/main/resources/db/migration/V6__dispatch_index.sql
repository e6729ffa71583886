-- The dispatch claim looks for jobs assigned to a worker and not yet sent to it; without this
-- index it scans every provisioning job under a backlog.
create index jobs_awaiting_dispatch on jobs (worker_id) where state = 'PROVISIONING' and dispatched_at is null;
