-- Onboarding: decided access requests, expert profiles, assistants and the
-- mail outbox. Access requests are memberships in status 'requested'.

-- Why a request was rejected (or a note on its approval).
ALTER TABLE memberships ADD COLUMN decision_reason TEXT;
CREATE INDEX memberships_pending ON memberships (user_id, ern, hcp_id, role, status);

-- The clinical focus given at sign-up and kept up to date by the user; a
-- user appears in the expert directory only once they have one.
CREATE TABLE expert_profiles (
    user_id TEXT PRIMARY KEY REFERENCES users (id),
    -- clinician | assistant
    category TEXT NOT NULL,
    -- adult | paediatric | both
    cares_for TEXT NOT NULL,
    profession TEXT NOT NULL REFERENCES professions (code),
    specialist_in TEXT NOT NULL,
    -- Guests name their own hospital and the country they work in.
    guest_hospital TEXT,
    working_country TEXT REFERENCES countries (code),
    updated_at TEXT NOT NULL
);

CREATE TABLE expert_profile_areas (
    user_id TEXT NOT NULL REFERENCES users (id),
    area_id TEXT NOT NULL REFERENCES thematic_areas (id),
    PRIMARY KEY (user_id, area_id)
);

-- A clinician names an assistant of the same hospital, who accepts.
CREATE TABLE assistant_links (
    clinician_id TEXT NOT NULL REFERENCES users (id),
    assistant_id TEXT NOT NULL REFERENCES users (id),
    hcp_id TEXT NOT NULL REFERENCES hcps (id),
    named_at TEXT NOT NULL,
    accepted_at TEXT,
    PRIMARY KEY (clinician_id, assistant_id)
);
CREATE INDEX assistant_links_by_assistant ON assistant_links (assistant_id);

-- Mail is written here in the transaction that causes it and delivered by
-- a sender task, which retries with back-off until it succeeds or gives up.
CREATE TABLE mail_outbox (
    id TEXT PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    failed_at TEXT,
    last_error TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (sent_at, failed_at, next_attempt_at);
