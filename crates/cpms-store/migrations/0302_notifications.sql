-- Notifications (issue 5 item 9): the in-app centre, per-person delivery
-- preferences and the bookkeeping of e-mail digests. Titles and texts name
-- patients by pseudonym and panels by reference only (see
-- cpms_domain::notification).

CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    recipient_id TEXT NOT NULL REFERENCES users (id),
    -- cpms_domain::notification::EventType
    event TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    -- a path inside the app
    link TEXT NOT NULL,
    urgent BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT,
    -- How it goes by e-mail, fixed when written from the recipient's
    -- preference: immediately | daily_digest | off.
    delivery TEXT NOT NULL,
    -- Digest bookkeeping: when the digest job took it, and the message
    -- that carried it (none when it had been read by then).
    digested_at TEXT,
    digest_mail_id TEXT
);
-- The centre, newest first.
CREATE INDEX notifications_by_recipient ON notifications (recipient_id, created_at);
-- The bell on every page counts these.
CREATE INDEX notifications_unread ON notifications (recipient_id) WHERE read_at IS NULL;
-- What the digest job still has to gather.
CREATE INDEX notifications_digest_pending ON notifications (recipient_id, created_at)
    WHERE delivery = 'daily_digest' AND digested_at IS NULL;

-- A row per kind of event a person chose a delivery for; kinds without a
-- row get the default (immediately).
CREATE TABLE notification_preferences (
    user_id TEXT NOT NULL REFERENCES users (id),
    event TEXT NOT NULL,
    delivery TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, event)
);
