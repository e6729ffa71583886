-- What a worker was started as, so that a pool reusing workers gives a job only a worker of the
-- same image and size with enough lifetime left. Workers from before this column stay unmatched:
-- they are never reused, and end at their idle timeout.
alter table workers add column shape text;
alter table workers add column lifetime_ends_at timestamptz;
