-- Identity part A: accounts' identities at external OpenID providers (EU
-- Login), keyed by the provider's issuer and its stable subject, never by
-- e-mail address. Portable SQL for SQLite and PostgreSQL.
CREATE TABLE identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    PRIMARY KEY (issuer, subject)
);

CREATE INDEX identities_by_user ON identities (user_id);
