-- Identity part A: registered passkeys (WebAuthn credentials). Portable SQL
-- for SQLite and PostgreSQL.

-- One row per credential. The id is the credential id in base64url, unique
-- across all accounts; passkey holds the public key, counter and flags as
-- JSON (no secret). name is what the person calls it on the security page.
CREATE TABLE passkeys (
    credential_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    passkey TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT
);

CREATE INDEX passkeys_by_user ON passkeys (user_id);
