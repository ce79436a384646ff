-- Identity part A: second factors, the sign-in stage of a session, pending
-- ceremonies and per-account lockout. Portable SQL for SQLite and PostgreSQL.

-- A session is complete only after the second factor; before that it opens
-- nothing but the second step ('second_factor') or enrolment ('enrolment').
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT 'full';

-- One authenticator app per user. last_used_step makes each code single-use.
CREATE TABLE totp_enrolments (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    secret TEXT NOT NULL,
    last_used_step BIGINT,
    created_at TEXT NOT NULL
);

-- Unused recovery codes, as SHA-256 hashes; a used code is deleted.
CREATE TABLE recovery_codes (
    user_id TEXT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);

-- State a ceremony keeps between two requests (a TOTP secret being
-- enrolled, a WebAuthn challenge, an OpenID Connect flow). The id is the
-- SHA-256 of the handle the browser holds.
CREATE TABLE auth_ceremonies (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    user_id TEXT REFERENCES users (id),
    state TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Consecutive failed sign-in attempts of an account and its lock.
CREATE TABLE account_lockouts (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    consecutive_failures BIGINT NOT NULL,
    last_failure TEXT,
    locked_until TEXT
);
