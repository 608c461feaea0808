-- Status and log service (issue 5): the credential-hash index of log entries
-- and witness cosignatures on checkpoints. docs/formats/schema.md.

CREATE TABLE log_credential_index (
  credential_hash BYTEA NOT NULL CHECK (length(credential_hash) = 32),
  seq             BIGINT NOT NULL REFERENCES log_entries(seq),
  PRIMARY KEY (credential_hash, seq)
);

CREATE TABLE log_cosignatures (
  size       BIGINT NOT NULL REFERENCES log_checkpoints(size),
  witness    TEXT NOT NULL,
  key_id     BIGINT NOT NULL,
  line       TEXT NOT NULL,
  created_us BIGINT NOT NULL,
  PRIMARY KEY (size, witness, key_id)
);
CREATE TRIGGER log_cosignatures_immutable BEFORE UPDATE ON log_cosignatures
  FOR EACH ROW EXECUTE FUNCTION credstack_refuse_change();
