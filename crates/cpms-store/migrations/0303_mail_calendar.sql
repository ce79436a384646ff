-- A meeting invitation travels with its mail: the iCalendar text, or NULL.
ALTER TABLE mail_outbox ADD COLUMN calendar TEXT;
