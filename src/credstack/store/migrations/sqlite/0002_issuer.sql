-- credstack schema v2 (SQLite): issuer settings (issue 4). docs/formats/schema.md.

-- An organization's optional did:key issuer (VC-API issuer instances sign
-- with it). One per organization; a DID names one organization.
CREATE TABLE org_did_keys (
  org_id                TEXT PRIMARY KEY REFERENCES organizations(id),
  did                   TEXT NOT NULL UNIQUE,
  public_key_multibase  TEXT NOT NULL,
  encrypted_private_key BLOB NOT NULL,
  created_us            INTEGER NOT NULL
) STRICT;

-- What every row of a bulk job shares (validity period, cryptosuite, ...),
-- as JSON written by app/; immutable once the job exists.
CREATE TABLE bulk_job_options (
  job_id       TEXT PRIMARY KEY REFERENCES bulk_jobs(id),
  options_json TEXT NOT NULL
) STRICT;

-- Start-up finds unfinished jobs of every organization.
CREATE INDEX bulk_jobs_unfinished ON bulk_jobs(status, id) WHERE status IN ('queued', 'running');
