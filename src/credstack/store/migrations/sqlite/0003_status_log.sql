-- Status and log service (issue 5): the credential-hash index of log entries
-- and witness cosignatures on checkpoints. docs/formats/schema.md.

-- Filled by the integrator from each leaf's credential hash
-- (docs/formats/log-leaf.md), so inclusion proofs are found by that hash.
CREATE TABLE log_credential_index (
  credential_hash BLOB NOT NULL CHECK (length(credential_hash) = 32),
  seq             INTEGER NOT NULL REFERENCES log_entries(seq),
  PRIMARY KEY (credential_hash, seq)
) STRICT;

-- c2sp.org/tlog-cosignature lines by witnesses, per checkpoint; one per
-- witness key, the first one kept.
CREATE TABLE log_cosignatures (
  size       INTEGER NOT NULL REFERENCES log_checkpoints(size),
  witness    TEXT NOT NULL,
  key_id     INTEGER NOT NULL,
  line       TEXT NOT NULL,
  created_us INTEGER NOT NULL,
  PRIMARY KEY (size, witness, key_id)
) STRICT;
CREATE TRIGGER log_cosignatures_immutable BEFORE UPDATE ON log_cosignatures
BEGIN SELECT RAISE(ABORT, 'cosignatures are immutable'); END;
