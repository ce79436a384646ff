-- Files attached to a record (issue 4). The bytes live encrypted in the
-- blob store under `id`; the uploaded file name may name the patient, so it
-- is sealed like the identity. Rows go when the patient is erased.

CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL REFERENCES patients (id),
    -- 'document', or 'signed_consent' for the signed consent form.
    kind TEXT NOT NULL,
    file_name_sealed TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    metadata_kept BIGINT NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    uploaded_at TEXT NOT NULL
);
CREATE INDEX attachments_by_patient ON attachments (patient_id, uploaded_at);
