-- Foundation: reference data, users, memberships, sessions, audit log.
-- Portable SQL for SQLite and PostgreSQL alike: ids are UUID text,
-- timestamps fixed-width RFC 3339 UTC text, flags BIGINT 0/1.

CREATE TABLE erns (
    code TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    full_name TEXT NOT NULL
);

CREATE TABLE countries (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    usage TEXT NOT NULL
);

CREATE TABLE hcps (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    city TEXT NOT NULL,
    country TEXT REFERENCES countries (code),
    kind TEXT NOT NULL,
    synthetic BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE hcp_erns (
    hcp_id TEXT NOT NULL REFERENCES hcps (id),
    ern TEXT NOT NULL REFERENCES erns (code),
    PRIMARY KEY (hcp_id, ern)
);
CREATE INDEX hcp_erns_by_ern ON hcp_erns (ern);

CREATE TABLE thematic_areas (
    id TEXT PRIMARY KEY,
    ern TEXT NOT NULL REFERENCES erns (code),
    parent_id TEXT REFERENCES thematic_areas (id),
    name TEXT NOT NULL,
    -- '' for top-level areas, so the natural key below can be unique.
    parent_key TEXT NOT NULL,
    UNIQUE (ern, parent_key, name)
);

CREATE TABLE professions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position BIGINT NOT NULL
);

-- Which version of the shipped reference data a database was seeded with,
-- so start-up skips seeding when nothing changed.
CREATE TABLE seed_state (
    name TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL,
    status TEXT NOT NULL,
    administrator BIGINT NOT NULL DEFAULT 0,
    training BIGINT NOT NULL DEFAULT 0,
    password_hash TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE memberships (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    ern TEXT NOT NULL REFERENCES erns (code),
    hcp_id TEXT NOT NULL REFERENCES hcps (id),
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    expires_at TEXT,
    requested_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by TEXT REFERENCES users (id),
    comment TEXT
);
CREATE INDEX memberships_by_user ON memberships (user_id);
CREATE INDEX memberships_by_ern_status ON memberships (ern, status);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    -- SHA-256 of the cookie value: a copy of this table opens no session.
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    client_addr TEXT,
    user_agent TEXT,
    current_ern TEXT
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Append-only; each row carries the hash of its predecessor. No foreign
-- keys: the trail must outlive what it speaks of.
CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    actor_id TEXT,
    on_behalf_of TEXT,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    client_addr TEXT,
    outcome TEXT NOT NULL,
    detail TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_events_by_actor ON audit_events (actor_id, seq);
CREATE INDEX audit_events_by_target ON audit_events (target, seq);

-- The chain's end. Appends lock this single row, which orders them, and
-- verification compares it with the last event to catch removals at the end.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
