-- Viewer annotations (issue 6): length measurements, arrows and text on
-- one frame of one instance of a study, seen by everyone who may see the
-- study. Points are in the instance's pixel coordinates (column, row), so
-- they stay put whatever the viewer's zoom, rotation or flip.

CREATE TABLE imaging_annotations (
    id TEXT PRIMARY KEY,
    study_uid TEXT NOT NULL REFERENCES imaging_studies (study_uid),
    series_uid TEXT NOT NULL REFERENCES imaging_series (series_uid),
    sop_uid TEXT NOT NULL REFERENCES imaging_instances (sop_uid),
    -- Numbered from 1, as in DICOMweb.
    frame BIGINT NOT NULL,
    -- 'length', 'arrow' or 'text'.
    kind TEXT NOT NULL,
    -- JSON array of [x, y] points: two for lengths and arrows, one for text.
    points TEXT NOT NULL,
    -- Lengths only, in micrometres (integers keep both engines exact);
    -- NULL when the instance has no pixel spacing and only pixels are known.
    length_um BIGINT,
    label TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX imaging_annotations_of_study ON imaging_annotations (study_uid, created_at);
