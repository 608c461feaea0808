-- Skills frameworks, learners, stackable pathways and awards (issue 6).
-- docs/formats/schema.md, "Skills, learners and pathways", explains every
-- table. SQLite; postgres/0004_skills.sql mirrors it.

-- A framework (ESCO, O*NET) is stored under a short id ("esco"); importing a
-- newer release of it updates the concept rows in place (revision + 1).
CREATE TABLE skill_frameworks (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  version     TEXT NOT NULL,
  attribution TEXT NOT NULL,
  format      TEXT NOT NULL,
  revision    INTEGER NOT NULL CHECK (revision >= 1),
  imported_us INTEGER NOT NULL,
  updated_us  INTEGER NOT NULL
) STRICT;

CREATE TABLE skill_groups (
  framework_id TEXT NOT NULL REFERENCES skill_frameworks(id),
  id           TEXT NOT NULL,
  label        TEXT NOT NULL,
  code         TEXT NOT NULL,
  description  TEXT NOT NULL,
  PRIMARY KEY (framework_id, id)
) STRICT;

CREATE TABLE skill_group_broader (
  framework_id TEXT NOT NULL,
  group_id     TEXT NOT NULL,
  broader_id   TEXT NOT NULL,
  PRIMARY KEY (framework_id, group_id, broader_id),
  FOREIGN KEY (framework_id, group_id) REFERENCES skill_groups(framework_id, id),
  FOREIGN KEY (framework_id, broader_id) REFERENCES skill_groups(framework_id, id)
) STRICT;

CREATE TABLE skills (
  framework_id TEXT NOT NULL REFERENCES skill_frameworks(id),
  id           TEXT NOT NULL,
  label        TEXT NOT NULL,
  description  TEXT NOT NULL,
  skill_type   TEXT NOT NULL,
  reuse_level  TEXT NOT NULL,
  PRIMARY KEY (framework_id, id)
) STRICT;

CREATE TABLE skill_broader_groups (
  framework_id TEXT NOT NULL,
  skill_id     TEXT NOT NULL,
  group_id     TEXT NOT NULL,
  PRIMARY KEY (framework_id, skill_id, group_id),
  FOREIGN KEY (framework_id, skill_id) REFERENCES skills(framework_id, id),
  FOREIGN KEY (framework_id, group_id) REFERENCES skill_groups(framework_id, id)
) STRICT;

CREATE TABLE skill_broader_skills (
  framework_id TEXT NOT NULL,
  skill_id     TEXT NOT NULL,
  broader_id   TEXT NOT NULL,
  PRIMARY KEY (framework_id, skill_id, broader_id),
  FOREIGN KEY (framework_id, skill_id) REFERENCES skills(framework_id, id),
  FOREIGN KEY (framework_id, broader_id) REFERENCES skills(framework_id, id)
) STRICT;

CREATE TABLE occupations (
  framework_id TEXT NOT NULL REFERENCES skill_frameworks(id),
  id           TEXT NOT NULL,
  label        TEXT NOT NULL,
  code         TEXT NOT NULL,
  isco_group   TEXT NOT NULL,
  description  TEXT NOT NULL,
  PRIMARY KEY (framework_id, id)
) STRICT;

-- importance and level (O*NET IM 1-5, LV 0-7) in thousandths; NULL when the
-- source has none (ESCO).
CREATE TABLE occupation_skills (
  framework_id     TEXT NOT NULL,
  occupation_id    TEXT NOT NULL,
  skill_id         TEXT NOT NULL,
  relation         TEXT NOT NULL CHECK (relation IN ('essential', 'optional')),
  importance_milli INTEGER,
  level_milli      INTEGER,
  PRIMARY KEY (framework_id, occupation_id, skill_id),
  FOREIGN KEY (framework_id, occupation_id) REFERENCES occupations(framework_id, id),
  FOREIGN KEY (framework_id, skill_id) REFERENCES skills(framework_id, id)
) STRICT;

-- Skill alignments of achievement versions (OB 3.0 Alignment targetUrl /
-- targetCode), indexed so that "which achievements teach skill S" is one
-- lookup. Filled by the skills service as achievement versions appear.
CREATE TABLE achievement_skills (
  achievement_id TEXT NOT NULL,
  version        INTEGER NOT NULL,
  skill_id       TEXT NOT NULL,
  target_name    TEXT NOT NULL,
  PRIMARY KEY (achievement_id, version, skill_id),
  FOREIGN KEY (achievement_id, version) REFERENCES achievement_versions(achievement_id, version)
) STRICT;
CREATE INDEX achievement_skills_skill ON achievement_skills(skill_id);

-- Planning attributes of an achievement (docs/formats/catalog.md): not
-- part of the Open Badges Achievement JSON (their terms are not in the OB
-- 3.0 context, so signed credentials must not carry them) and not
-- versioned (they never appear in an issued credential). Amounts are in
-- thousandths; prerequisites is a JSON array of Achievement.id values.
CREATE TABLE achievement_planning (
  achievement_id     TEXT PRIMARY KEY REFERENCES achievements(id),
  hours_milli        INTEGER NOT NULL CHECK (hours_milli >= 0),
  price_milli        INTEGER NOT NULL CHECK (price_milli >= 0),
  currency           TEXT NOT NULL,
  credits_milli      INTEGER CHECK (credits_milli >= 0),
  level              INTEGER,
  prerequisites_json TEXT NOT NULL,
  revision           INTEGER NOT NULL DEFAULT 1,
  updated_us         INTEGER NOT NULL
) STRICT;

-- Learners (wallet accounts). A learner is known by a DID and/or emails;
-- both are unique across learners so that one credential never links to two.
CREATE TABLE learners (
  id           TEXT PRIMARY KEY,
  org_id       TEXT REFERENCES organizations(id),
  did          TEXT UNIQUE,
  display_name TEXT NOT NULL,
  token_hash   BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  created_us   INTEGER NOT NULL
) STRICT;

CREATE TABLE learner_emails (
  learner_id TEXT NOT NULL REFERENCES learners(id),
  email      TEXT NOT NULL UNIQUE,
  PRIMARY KEY (learner_id, email)
) STRICT;

-- A learner's credentials: issued by this deployment (credential_id set,
-- the JSON lives in credentials) or uploaded (credential_json set).
CREATE TABLE learner_credentials (
  learner_id      TEXT NOT NULL REFERENCES learners(id),
  credential_key  TEXT NOT NULL,
  source          TEXT NOT NULL CHECK (source IN ('issued', 'uploaded')),
  credential_id   TEXT REFERENCES credentials(id),
  credential_json TEXT,
  content_hash    BLOB NOT NULL,
  issuer          TEXT NOT NULL,
  achievement_id  TEXT NOT NULL,
  added_us        INTEGER NOT NULL,
  PRIMARY KEY (learner_id, credential_key),
  CHECK ((source = 'issued') = (credential_id IS NOT NULL)),
  CHECK ((source = 'uploaded') = (credential_json IS NOT NULL))
) STRICT;
CREATE INDEX learner_credentials_credential ON learner_credentials(credential_id)
  WHERE credential_id IS NOT NULL;
CREATE INDEX learner_credentials_achievement ON learner_credentials(achievement_id);

-- Stackable pathways: a rule tree (docs/formats/pathway.md) owned by an
-- organization, awarding one of its achievements.
CREATE TABLE pathways (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES organizations(id),
  achievement_id  TEXT NOT NULL REFERENCES achievements(id),
  definition_json TEXT NOT NULL,
  created_us      INTEGER NOT NULL,
  updated_us      INTEGER NOT NULL
) STRICT;
CREATE INDEX pathways_org ON pathways(org_id, id);

-- The achievements a pathway's rules name, so that a change to a learner's
-- credentials finds the pathways to evaluate.
CREATE TABLE pathway_components (
  pathway_id     TEXT NOT NULL REFERENCES pathways(id),
  achievement_id TEXT NOT NULL,
  PRIMARY KEY (pathway_id, achievement_id)
) STRICT;
CREATE INDEX pathway_components_achievement ON pathway_components(achievement_id);

-- Exactly one award per (pathway, learner): the primary key, plus the
-- stacked credential's idempotency key derived from the pair.
CREATE TABLE pathway_awards (
  pathway_id    TEXT NOT NULL REFERENCES pathways(id),
  learner_id    TEXT NOT NULL REFERENCES learners(id),
  credential_id TEXT NOT NULL REFERENCES credentials(id),
  awarded_us    INTEGER NOT NULL,
  PRIMARY KEY (pathway_id, learner_id)
) STRICT;
CREATE INDEX pathway_awards_learner ON pathway_awards(learner_id);
