-- Imaging (issue 6): de-identified DICOM studies on a patient record.
-- Every UID here is already de-identified (a keyed hash per patient), so a
-- UID is unique across patients too; the original header is never stored.
-- Instance bytes live sealed in the blob store under `blob_id`; `metadata`
-- is the instance's complete de-identified DICOM JSON, so metadata queries
-- never open a blob.

CREATE TABLE imaging_studies (
    study_uid TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL REFERENCES patients (id),
    -- YYYYMMDD as de-identified (shifted, or empty when dates are removed).
    study_date TEXT,
    description TEXT,
    -- Distinct modalities of its series, joined by '\'.
    modalities TEXT NOT NULL,
    series_count BIGINT NOT NULL,
    instance_count BIGINT NOT NULL,
    -- Instances whose pixels may show identifying text.
    burned_in_count BIGINT NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    uploaded_at TEXT NOT NULL
);
CREATE INDEX imaging_studies_by_patient ON imaging_studies (patient_id, study_date);

CREATE TABLE imaging_series (
    series_uid TEXT PRIMARY KEY,
    study_uid TEXT NOT NULL REFERENCES imaging_studies (study_uid),
    modality TEXT,
    series_number BIGINT,
    description TEXT,
    instance_count BIGINT NOT NULL,
    burned_in_count BIGINT NOT NULL
);
CREATE INDEX imaging_series_of_study ON imaging_series (study_uid, series_number);

CREATE TABLE imaging_instances (
    sop_uid TEXT PRIMARY KEY,
    series_uid TEXT NOT NULL REFERENCES imaging_series (series_uid),
    study_uid TEXT NOT NULL REFERENCES imaging_studies (study_uid),
    sop_class_uid TEXT NOT NULL,
    instance_number BIGINT,
    rows_count BIGINT,
    columns_count BIGINT,
    frames BIGINT NOT NULL,
    transfer_syntax TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    -- NULL, or why the pixels may show identifying text.
    burned_in TEXT,
    blob_id TEXT NOT NULL UNIQUE,
    metadata TEXT NOT NULL
);
CREATE INDEX imaging_instances_of_series ON imaging_instances (series_uid, instance_number, sop_uid);

-- Crash safety. An upload writes each instance's row here (committed) BEFORE
-- its sealed blob, and moves the rows into imaging_instances in the one
-- transaction that indexes the upload. Whatever is still staged belongs to
-- an upload that failed or crashed: the sweep deletes those blobs and rows
-- once the upload has not been touched for a while (uploads on another
-- server instance keep touching theirs).
CREATE TABLE imaging_uploads (
    id TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL REFERENCES patients (id),
    started_at TEXT NOT NULL,
    touched_at TEXT NOT NULL
);
CREATE INDEX imaging_uploads_by_touch ON imaging_uploads (touched_at);

CREATE TABLE imaging_staged (
    blob_id TEXT PRIMARY KEY,
    upload_id TEXT NOT NULL REFERENCES imaging_uploads (id),
    sop_uid TEXT NOT NULL,
    series_uid TEXT NOT NULL,
    study_uid TEXT NOT NULL,
    sop_class_uid TEXT NOT NULL,
    instance_number BIGINT,
    rows_count BIGINT,
    columns_count BIGINT,
    frames BIGINT NOT NULL,
    transfer_syntax TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    burned_in TEXT,
    metadata TEXT NOT NULL
);
CREATE INDEX imaging_staged_by_upload ON imaging_staged (upload_id);
