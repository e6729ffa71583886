-- The identity of this Hodei installation: its id goes into the ownership labels of every worker,
-- so that two installations sharing a backend never touch each other's workers.
CREATE TABLE installation (
    singleton  BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    id         TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO installation (id) VALUES (gen_random_uuid()::text);
