-- Panel meetings (issue 5, item 6): when, in which zone, the agenda and
-- the video link; the iCalendar SEQUENCE that every change raises; the
-- minutes once written.

CREATE TABLE panel_meetings (
    id TEXT PRIMARY KEY,
    panel_id TEXT NOT NULL REFERENCES panels (id),
    -- The start as the organiser's clock shows it (YYYY-MM-DDTHH:MM) in
    -- time_zone (an IANA name); starts_at is the same moment in UTC.
    local_start TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    duration_minutes BIGINT NOT NULL,
    agenda TEXT NOT NULL,
    video_link TEXT NOT NULL,
    -- 0 when scheduled; each change and the cancellation raise it, so
    -- calendars replace the event they hold (the UID is the id).
    sequence BIGINT NOT NULL,
    organiser_id TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    cancelled_at TEXT,
    minutes TEXT,
    minutes_by TEXT REFERENCES users (id),
    minutes_at TEXT
);
CREATE INDEX panel_meetings_by_panel ON panel_meetings (panel_id, starts_at);
