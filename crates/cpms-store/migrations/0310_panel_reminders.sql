-- Reminders about urgent panels whose requested answer date has passed
-- (issue 5 item 9): one row per panel and UTC day it was reminded, so the
-- job tells people once a day however often it runs, across restarts and
-- instances.

CREATE TABLE panel_reminders (
    panel_id TEXT NOT NULL REFERENCES panels (id),
    -- YYYY-MM-DD, UTC
    day TEXT NOT NULL,
    reminded_at TEXT NOT NULL,
    PRIMARY KEY (panel_id, day)
);

-- The job looks for urgent panels by answer date.
CREATE INDEX panels_urgent_by_answer_date ON panels (answer_by) WHERE urgency = 'urgent';
