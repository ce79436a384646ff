//! Rotating a session when the account's roles change: an approval or a
//! revocation while signed in gives the next request a new session id and
//! token, so a token captured before the change does not carry the new
//! rights (and one captured after does not outlive a revocation's intent).

use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::ids::SessionId;
use cpms_domain::org::Membership;
use cpms_domain::session::Session;
use cpms_store::repo::{audit, sessions};
use sha2::{Digest, Sha256};

use super::session::{SessionToken, not_signed_in, token_hash};
use crate::{App, AppError, ClientInfo};

/// A digest of what the memberships grant: which role, where, in what
/// state and until when.
pub(crate) fn roles_digest(memberships: &[Membership]) -> String {
    let mut lines: Vec<String> = memberships
        .iter()
        .map(|m| {
            format!(
                "{} {} {} {} {} {:?}",
                m.id,
                m.ern.as_str(),
                m.hcp,
                m.role.as_str(),
                m.status.as_str(),
                m.expires_at
            )
        })
        .collect();
    lines.sort();
    hex::encode(Sha256::digest(lines.join("\n").as_bytes()))
}

impl App {
    /// The session id to serve the request under and, when the roles
    /// changed since the session's last request, the new token for the
    /// cookie.
    pub(crate) async fn rotate_on_role_change(
        &self,
        session: &Session,
        memberships: &[Membership],
        client: &ClientInfo,
    ) -> Result<(SessionId, Option<SessionToken>), AppError> {
        let digest = roles_digest(memberships);
        match session.roles_digest.as_deref() {
            Some(recorded) if recorded == digest => return Ok((session.id, None)),
            None => {
                let mut tx = self.store().write().await?;
                sessions::set_roles_digest(&mut tx, session.id, &digest).await?;
                tx.commit().await?;
                return Ok((session.id, None));
            }
            Some(_) => {}
        }
        let new_id = SessionId::new();
        let token = SessionToken::generate();
        let mut tx = self.store().write().await?;
        if !sessions::rotate(&mut tx, session.id, new_id, &token_hash(&token), &digest).await? {
            // A concurrent request rotated it first; that one's response
            // carries the new cookie.
            return Err(not_signed_in());
        }
        let event = NewEvent::new(
            "auth.session_rotated",
            format!("user:{}", session.user),
            Outcome::Success,
        )
        .by(session.user)
        .from_addr(client.addr.clone())
        .detail("roles changed");
        audit::append(&mut tx, event, self.now()).await?;
        tx.commit().await?;
        Ok((new_id, Some(token)))
    }
}
