-- The centre patient list with 100,000 patients per clinician
-- (bench/patient-list.sh). Counting a search and paging it read only these
-- narrow indexes instead of every patient row; the nickname order walks the
-- second one instead of sorting.
CREATE INDEX patients_owner_search ON patients (hcp_id, enrolled_by, nickname, pseudonym);
CREATE INDEX patients_owner_by_nickname ON patients (hcp_id, enrolled_by, LOWER(COALESCE(nickname, '')), pseudonym);
