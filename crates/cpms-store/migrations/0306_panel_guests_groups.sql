-- Guests invited to a panel by e-mail (issue 5): the link carries a
-- single-use token of which only a hash is kept; using it records who
-- signed up with it.
CREATE TABLE panel_guest_invitations (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    panel_id TEXT NOT NULL REFERENCES panels (id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    invited_by TEXT NOT NULL REFERENCES users (id),
    invited_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by TEXT REFERENCES users (id)
);
CREATE INDEX panel_guest_invitations_by_panel ON panel_guest_invitations (panel_id, invited_at);

-- Finding an account by its e-mail address (an invited guest who already
-- has one is asked to sign in instead).
CREATE INDEX users_by_email ON users (LOWER(email));

-- Named lists of experts kept per network by its coordinators and panel
-- managers, invited to a panel in one go. `name_key` is the name folded
-- to lower case, unique within the network.
CREATE TABLE expert_groups (
    id TEXT PRIMARY KEY,
    ern TEXT NOT NULL REFERENCES erns (code),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    UNIQUE (ern, name_key)
);

CREATE TABLE expert_group_members (
    group_id TEXT NOT NULL REFERENCES expert_groups (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    added_by TEXT NOT NULL REFERENCES users (id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
