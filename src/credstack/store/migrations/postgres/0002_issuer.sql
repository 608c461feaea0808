-- credstack schema v2 (PostgreSQL): issuer settings (issue 4). docs/formats/schema.md.

CREATE TABLE org_did_keys (
  org_id                TEXT PRIMARY KEY REFERENCES organizations(id),
  did                   TEXT NOT NULL UNIQUE,
  public_key_multibase  TEXT NOT NULL,
  encrypted_private_key BYTEA NOT NULL,
  created_us            BIGINT NOT NULL
);

CREATE TABLE bulk_job_options (
  job_id       TEXT PRIMARY KEY REFERENCES bulk_jobs(id),
  options_json TEXT NOT NULL
);

CREATE INDEX bulk_jobs_unfinished ON bulk_jobs(status, id) WHERE status IN ('queued', 'running');
