-- The centre patient list at 100,000 patients per clinician
-- (bench/patient-list.sh). A search now matches the start of the
-- pseudonym or of the nickname, each a range of an index, instead of any
-- part of the nickname, which had to read every patient of the clinician.
-- `nickname_key` is the nickname as the list sorts and searches it (trimmed,
-- lower case, empty for none; written by the application, which also lower
-- cases letters beyond ASCII that SQLite's LOWER leaves as they are).
ALTER TABLE patients ADD COLUMN nickname_key TEXT NOT NULL DEFAULT '';
UPDATE patients SET nickname_key = LOWER(TRIM(COALESCE(nickname, '')));
-- Nickname order and nickname search walk this one; pseudonym order and
-- pseudonym search walk patients_by_owner_pseudonym (0201).
CREATE INDEX patients_owner_by_nickname_key ON patients (hcp_id, enrolled_by, nickname_key, pseudonym);
-- Superseded: they served the substring search and the LOWER(COALESCE())
-- order.
DROP INDEX patients_owner_search;
DROP INDEX patients_owner_by_nickname;
