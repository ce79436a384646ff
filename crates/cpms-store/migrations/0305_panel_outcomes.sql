-- Outcome documents (issue 5, item 7): one row per version. The draft is
-- kept as the lead typed it (JSON of the domain's OutcomeDraft), complete
-- or not, so nothing written is lost; the document (JSON of the validated
-- OutcomeDocument) is set when the draft is frozen for sign-off, and at
-- closing it is written once more with the sign-offs and never changed
-- again. Reopening a panel starts the next version.

CREATE TABLE panel_outcomes (
    panel_id TEXT NOT NULL REFERENCES panels (id),
    version BIGINT NOT NULL,
    draft TEXT NOT NULL,
    document TEXT,
    -- Each request for sign-off starts a round; answers belong to one.
    round BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    drafted_at TEXT NOT NULL,
    drafted_by TEXT NOT NULL REFERENCES users (id),
    -- Sent for sign-off (NULL while drafting).
    frozen_at TEXT,
    -- Issued: the version is immutable from then on.
    closed_at TEXT,
    PRIMARY KEY (panel_id, version)
);

-- Members' answers to one round of one version: signed, or a comment.
CREATE TABLE panel_outcome_sign_offs (
    panel_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    round BIGINT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    answer TEXT NOT NULL,
    comment TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (panel_id, version, round, user_id),
    FOREIGN KEY (panel_id, version) REFERENCES panel_outcomes (panel_id, version)
);
