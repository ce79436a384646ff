//! A person's own sessions: the "My sessions" page, revoking one, and
//! signing out everywhere.

use cpms_domain::ids::SessionId;
use cpms_domain::session::SessionStage;
use cpms_store::repo::sessions;
use jiff::Timestamp;

use crate::{App, AppError, Caller};

/// One session as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionView {
    pub id: SessionId,
    pub user_agent: Option<String>,
    pub client_addr: Option<String>,
    pub started: Timestamp,
    pub last_seen: Timestamp,
    /// The session this request came with.
    pub current: bool,
}

impl App {
    /// The caller's signed-in sessions, most recently used first.
    pub async fn my_sessions(&self, caller: &Caller) -> Result<Vec<SessionView>, AppError> {
        let mut conn = self.store().read().await?;
        let mine = sessions::of_user(&mut conn, caller.user.id).await?;
        Ok(mine
            .into_iter()
            .filter(|s| s.stage == SessionStage::Full)
            .filter(|s| s.check(self.now(), self.settings().sessions).is_ok())
            .map(|s| SessionView {
                current: s.id == caller.session,
                id: s.id,
                user_agent: s.user_agent,
                client_addr: s.client_addr,
                started: s.created_at,
                last_seen: s.last_seen_at,
            })
            .collect())
    }

    /// Ends one of the caller's own sessions (a lost laptop, a shared PC).
    pub async fn revoke_session(&self, caller: &Caller, id: SessionId) -> Result<(), AppError> {
        let mut tx = self.store().write().await?;
        if !sessions::delete_of_user(&mut tx, caller.user.id, id).await? {
            return Err(AppError::not_found("That session"));
        }
        self.audit_factor(
            &mut tx,
            caller,
            "auth.session_revoked",
            &format!("session:{id}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends every session of the caller, this one included.
    pub async fn sign_out_everywhere(&self, caller: &Caller) -> Result<u64, AppError> {
        let mut tx = self.store().write().await?;
        let ended = sessions::delete_for_user(&mut tx, caller.user.id).await?;
        self.audit_factor(
            &mut tx,
            caller,
            "auth.sign_out_everywhere",
            &format!("{ended} sessions ended"),
        )
        .await?;
        tx.commit().await?;
        Ok(ended)
    }
}
