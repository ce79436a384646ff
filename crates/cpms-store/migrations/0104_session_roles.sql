-- Identity part A: a digest of the account's memberships when the session
-- last served a request. When an approval or revocation changes them, the
-- next request rotates the session id and token. NULL: not yet recorded.
ALTER TABLE sessions ADD COLUMN roles_digest TEXT;
