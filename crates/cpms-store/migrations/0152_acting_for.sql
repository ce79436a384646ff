-- The clinician an assistant is acting for in this session ("act for
-- Dr X"); only honoured while the clinician's link to the assistant stands
-- accepted.
ALTER TABLE sessions ADD COLUMN acting_for TEXT REFERENCES users (id);
