-- Imaging part B: personal API tokens, the bearer credentials programs
-- (DICOMweb viewers, scripts) use instead of a browser session. Portable SQL
-- for SQLite and PostgreSQL.

-- Only a SHA-256 of the secret is kept; the secret is shown once. A revoked
-- token keeps its row (revoked_at set) so the owner's list and the audit
-- trail still name it. expires_at NULL means no expiry.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    last_used_at TEXT,
    revoked_at TEXT
);

CREATE INDEX api_tokens_by_user ON api_tokens (user_id);
