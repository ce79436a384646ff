-- Patients and their record versions (issue 4).
-- Identifying fields live only in identity_sealed: AES-256-GCM ciphertext
-- prefixed with the id of the key that sealed it; NULL once erased.

CREATE TABLE patients (
    id TEXT PRIMARY KEY,
    pseudonym TEXT NOT NULL UNIQUE,
    nickname TEXT,
    sex TEXT NOT NULL,
    birth_year BIGINT NOT NULL,
    country TEXT NOT NULL,
    ern TEXT NOT NULL REFERENCES erns (code),
    hcp_id TEXT NOT NULL REFERENCES hcps (id),
    enrolled_by TEXT NOT NULL REFERENCES users (id),
    enrolled_at TEXT NOT NULL,
    status TEXT NOT NULL,
    identity_sealed TEXT,
    -- JSON: the consents with date, status and who recorded them.
    consents TEXT NOT NULL,
    current_version BIGINT NOT NULL
);
-- The centre's patient list: one clinician's patients at one hospital.
CREATE INDEX patients_by_owner ON patients (hcp_id, enrolled_by, enrolled_at);
CREATE INDEX patients_by_owner_pseudonym ON patients (hcp_id, enrolled_by, pseudonym);

-- Every version of every record: who, when, on whose behalf, what changed
-- (JSON of the change) and the content after it (JSON).
CREATE TABLE record_versions (
    patient_id TEXT NOT NULL REFERENCES patients (id),
    version BIGINT NOT NULL,
    at TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users (id),
    on_behalf_of TEXT REFERENCES users (id),
    description TEXT NOT NULL,
    change TEXT NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (patient_id, version)
);
