-- Panels (issue 5): consultation requests, what they share, who is on
-- them, how their state moved, and their discussion.

CREATE TABLE panels (
    id TEXT PRIMARY KEY,
    -- Human reference, e.g. BOND-2026-0042.
    reference TEXT NOT NULL UNIQUE,
    ern TEXT NOT NULL REFERENCES erns (code),
    patient_id TEXT NOT NULL REFERENCES patients (id),
    lead_id TEXT NOT NULL REFERENCES users (id),
    lead_hcp_id TEXT NOT NULL REFERENCES hcps (id),
    area_id TEXT REFERENCES thematic_areas (id),
    panel_type TEXT NOT NULL,
    urgency TEXT NOT NULL,
    questions TEXT NOT NULL,
    -- YYYY-MM-DD, or NULL when the lead named no date.
    answer_by TEXT,
    state TEXT NOT NULL,
    ern_help BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    submitted_at TEXT,
    first_contribution_at TEXT,
    closed_at TEXT,
    -- The lead confirmed closing with fewer than two contributions.
    closed_few_contributions BIGINT NOT NULL DEFAULT 0
);
-- "My panels" as lead, newest first.
CREATE INDEX panels_by_lead ON panels (lead_id, created_at, id);
-- The ERN's panel list (newest first, keyset paging) and its filters.
CREATE INDEX panels_by_ern ON panels (ern, created_at, id);
CREATE INDEX panels_by_ern_state ON panels (ern, state, created_at, id);
CREATE INDEX panels_by_patient ON panels (patient_id);

-- Numbers of references, per network and year.
CREATE TABLE panel_counters (
    ern TEXT NOT NULL REFERENCES erns (code),
    year BIGINT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (ern, year)
);

-- What a panel shares: record sections (kind 'section', item the section
-- name) and attachments (kind 'attachment', item the attachment id).
CREATE TABLE panel_shares (
    panel_id TEXT NOT NULL REFERENCES panels (id),
    kind TEXT NOT NULL,
    item TEXT NOT NULL,
    PRIMARY KEY (panel_id, kind, item)
);

-- Everyone on a panel but its lead (who is panels.lead_id): invited
-- experts, members and panel managers. A declined invitation keeps its row
-- (with the reason) and grants nothing.
CREATE TABLE panel_members (
    panel_id TEXT NOT NULL REFERENCES panels (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    invited_by TEXT NOT NULL REFERENCES users (id),
    invited_at TEXT NOT NULL,
    answered_at TEXT,
    declined BIGINT NOT NULL DEFAULT 0,
    decline_reason TEXT,
    PRIMARY KEY (panel_id, user_id)
);
-- "My panels" as member or invitee.
CREATE INDEX panel_members_by_user ON panel_members (user_id, declined, panel_id);

-- Every state change: who, when, on whose behalf, why.
CREATE TABLE panel_transitions (
    panel_id TEXT NOT NULL REFERENCES panels (id),
    seq BIGINT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    transition TEXT NOT NULL,
    actor_id TEXT NOT NULL REFERENCES users (id),
    on_behalf_of TEXT REFERENCES users (id),
    at TEXT NOT NULL,
    comment TEXT,
    PRIMARY KEY (panel_id, seq)
);

-- The discussion.
CREATE TABLE panel_posts (
    id TEXT PRIMARY KEY,
    panel_id TEXT NOT NULL REFERENCES panels (id),
    kind TEXT NOT NULL,
    reply_to TEXT REFERENCES panel_posts (id),
    author_id TEXT NOT NULL REFERENCES users (id),
    on_behalf_of TEXT REFERENCES users (id),
    body TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX panel_posts_by_panel ON panel_posts (panel_id, kind, at);
CREATE INDEX panel_posts_by_reply ON panel_posts (reply_to);
