-- credstack schema v1 (PostgreSQL). docs/formats/schema.md explains every
-- table; the SQLite schema mirrors this one. Times are unix microseconds
-- (BIGINT, column suffix _us). Applied in one transaction under an advisory
-- lock by the migration runner.

CREATE FUNCTION credstack_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = '55000';
END;
$$;

CREATE TABLE organizations (
  id           TEXT PRIMARY KEY,
  slug         TEXT NOT NULL UNIQUE,
  profile_json TEXT NOT NULL,
  created_us   BIGINT NOT NULL
);

CREATE TABLE signing_keys (
  key_id                TEXT PRIMARY KEY,
  org_id                TEXT NOT NULL REFERENCES organizations(id),
  verification_method   TEXT NOT NULL UNIQUE,
  public_key_multibase  TEXT NOT NULL,
  encrypted_private_key BYTEA NOT NULL,
  created_us            BIGINT NOT NULL,
  retired_us            BIGINT
);
-- At most one active (not retired) key per organization.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys(org_id) WHERE retired_us IS NULL;
CREATE INDEX signing_keys_org ON signing_keys(org_id, created_us);

CREATE TABLE api_keys (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES organizations(id),
  role        TEXT NOT NULL CHECK (role IN ('admin', 'issuer', 'viewer')),
  secret_hash BYTEA NOT NULL UNIQUE CHECK (octet_length(secret_hash) = 32),
  prefix      TEXT NOT NULL,
  created_us  BIGINT NOT NULL,
  revoked_us  BIGINT
);
CREATE INDEX api_keys_org ON api_keys(org_id);

CREATE TABLE achievements (
  id             TEXT PRIMARY KEY,
  org_id         TEXT NOT NULL REFERENCES organizations(id),
  latest_version BIGINT NOT NULL CHECK (latest_version >= 1),
  created_us     BIGINT NOT NULL
);
CREATE INDEX achievements_org ON achievements(org_id, id);

CREATE TABLE achievement_versions (
  achievement_id   TEXT NOT NULL REFERENCES achievements(id),
  version          BIGINT NOT NULL CHECK (version >= 1),
  achievement_json TEXT NOT NULL,
  created_us       BIGINT NOT NULL,
  PRIMARY KEY (achievement_id, version)
);
CREATE TRIGGER achievement_versions_immutable BEFORE UPDATE OR DELETE ON achievement_versions
  FOR EACH ROW EXECUTE FUNCTION credstack_refuse_change();

CREATE TABLE credentials (
  id                  TEXT PRIMARY KEY,
  org_id              TEXT NOT NULL REFERENCES organizations(id),
  achievement_id      TEXT,
  achievement_version BIGINT,
  recipient_kind      TEXT NOT NULL CHECK (recipient_kind IN ('did', 'email_hash', 'other')),
  recipient_identity  TEXT NOT NULL,
  credential_json     TEXT NOT NULL,
  content_hash        BYTEA NOT NULL,
  issued_us           BIGINT NOT NULL,
  idempotency_key     TEXT,
  UNIQUE (org_id, idempotency_key),
  FOREIGN KEY (achievement_id, achievement_version)
    REFERENCES achievement_versions(achievement_id, version)
);
CREATE INDEX credentials_org ON credentials(org_id, id);
CREATE INDEX credentials_recipient ON credentials(recipient_identity, id);
CREATE INDEX credentials_content_hash ON credentials(content_hash);

CREATE TABLE bulk_jobs (
  id                  TEXT PRIMARY KEY,
  org_id              TEXT NOT NULL REFERENCES organizations(id),
  achievement_id      TEXT NOT NULL,
  achievement_version BIGINT NOT NULL,
  status              TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  total_rows          BIGINT NOT NULL DEFAULT 0,
  issued_rows         BIGINT NOT NULL DEFAULT 0,
  failed_rows         BIGINT NOT NULL DEFAULT 0,
  error               TEXT NOT NULL DEFAULT '',
  created_us          BIGINT NOT NULL,
  updated_us          BIGINT NOT NULL,
  FOREIGN KEY (achievement_id, achievement_version)
    REFERENCES achievement_versions(achievement_id, version)
);
CREATE INDEX bulk_jobs_org ON bulk_jobs(org_id, id);

CREATE TABLE job_rows (
  job_id          TEXT NOT NULL REFERENCES bulk_jobs(id),
  row_number      BIGINT NOT NULL CHECK (row_number >= 0),
  client_row_key  TEXT NOT NULL,
  recipient_input TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'issued', 'failed')),
  error           TEXT NOT NULL DEFAULT '',
  credential_id   TEXT REFERENCES credentials(id),
  claimed_by      TEXT,
  lease_until_us  BIGINT,
  PRIMARY KEY (job_id, row_number),
  UNIQUE (job_id, client_row_key),
  CHECK ((state = 'issued') = (credential_id IS NOT NULL))
);
CREATE INDEX job_rows_pending ON job_rows(job_id, row_number) WHERE state = 'pending';

CREATE TABLE status_lists (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES organizations(id),
  purpose     TEXT NOT NULL CHECK (purpose IN ('revocation', 'suspension', 'message')),
  size        BIGINT NOT NULL CHECK (size > 0),
  status_size BIGINT NOT NULL CHECK (status_size BETWEEN 1 AND 8),
  bits        BYTEA NOT NULL,
  version     BIGINT NOT NULL DEFAULT 0,
  created_us  BIGINT NOT NULL,
  updated_us  BIGINT NOT NULL
);
CREATE INDEX status_lists_org ON status_lists(org_id, purpose);

CREATE TABLE status_allocations (
  list_id       TEXT NOT NULL REFERENCES status_lists(id),
  idx           BIGINT NOT NULL CHECK (idx >= 0),
  credential_id TEXT NOT NULL REFERENCES credentials(id),
  PRIMARY KEY (list_id, idx),
  UNIQUE (credential_id, list_id)
);

CREATE TABLE status_events (
  id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  credential_id TEXT NOT NULL REFERENCES credentials(id),
  list_id       TEXT NOT NULL REFERENCES status_lists(id),
  idx           BIGINT NOT NULL,
  purpose       TEXT NOT NULL,
  old_value     BIGINT NOT NULL,
  new_value     BIGINT NOT NULL,
  reason        TEXT NOT NULL,
  actor         TEXT NOT NULL,
  created_us    BIGINT NOT NULL
);
CREATE INDEX status_events_credential ON status_events(credential_id, id);

-- Transparency log. The single log_sequencer row is the sequencer: an append
-- updates it in the appending transaction, so its row lock admits one
-- appender at a time across all nodes (docs/decisions/0004-store-log-sequencer.md).
CREATE TABLE log_sequencer (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  next_seq BIGINT NOT NULL CHECK (next_seq >= 0)
);
INSERT INTO log_sequencer (id, next_seq) VALUES (1, 0);

CREATE TABLE log_entries (
  seq        BIGINT PRIMARY KEY CHECK (seq >= 0),
  leaf_hash  BYTEA NOT NULL,
  leaf_data  BYTEA NOT NULL,
  subject    TEXT NOT NULL DEFAULT '',
  created_us BIGINT NOT NULL
);
CREATE INDEX log_entries_leaf_hash ON log_entries(leaf_hash);
CREATE INDEX log_entries_subject ON log_entries(subject) WHERE subject <> '';
CREATE TRIGGER log_entries_append_only BEFORE UPDATE OR DELETE ON log_entries
  FOR EACH ROW EXECUTE FUNCTION credstack_refuse_change();

CREATE TABLE log_integration (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  size  BIGINT NOT NULL CHECK (size >= 0),
  state BYTEA NOT NULL
);
INSERT INTO log_integration (id, size, state) VALUES (1, 0, '\x');

CREATE TABLE log_tiles (
  path TEXT PRIMARY KEY,
  data BYTEA NOT NULL
);
CREATE TRIGGER log_tiles_immutable BEFORE UPDATE ON log_tiles
  FOR EACH ROW EXECUTE FUNCTION credstack_refuse_change();

CREATE TABLE log_checkpoints (
  size       BIGINT PRIMARY KEY CHECK (size >= 0),
  note       TEXT NOT NULL,
  created_us BIGINT NOT NULL
);
CREATE TRIGGER log_checkpoints_immutable BEFORE UPDATE ON log_checkpoints
  FOR EACH ROW EXECUTE FUNCTION credstack_refuse_change();

CREATE TABLE audit_events (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id       TEXT NOT NULL DEFAULT '',
  actor        TEXT NOT NULL,
  action       TEXT NOT NULL,
  target       TEXT NOT NULL,
  details_json TEXT NOT NULL,
  created_us   BIGINT NOT NULL
);
CREATE INDEX audit_events_org ON audit_events(org_id, id);
