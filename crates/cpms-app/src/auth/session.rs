use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cpms_domain::audit::Outcome;
use cpms_domain::ids::SessionId;
use cpms_domain::org::ErnCode;
use cpms_domain::session::{Session, SessionStage};
use cpms_domain::user::AccountStatus;
use cpms_store::repo::{assistants, audit, memberships, sessions, users};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::{App, AppError, Caller, ClientInfo, ErrorCode, OnBehalfOf};

/// The secret a browser holds for its session (the cookie value). Only its
/// hash is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    pub(crate) fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn from_cookie(value: &str) -> Self {
        Self(value.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(<secret>)")
    }
}

/// The stored form of a session token.
pub fn token_hash(token: &SessionToken) -> String {
    hex::encode(Sha256::digest(token.0.as_bytes()))
}

/// Sessions are touched at most this often, to spare the database a write
/// per request; the idle limit is far longer.
const TOUCH_INTERVAL: jiff::SignedDuration = jiff::SignedDuration::from_secs(60);

impl App {
    /// The signed-in caller behind a session token, or `NotSignedIn` when the
    /// session is unknown, expired, its account suspended (such sessions
    /// are deleted on the way) or its sign-in not complete.
    pub async fn resolve_session(
        &self,
        token: &SessionToken,
        client: ClientInfo,
    ) -> Result<Caller, AppError> {
        let caller = self.resolve_session_at_any_stage(token, client).await?;
        if caller.stage != SessionStage::Full {
            return Err(not_signed_in());
        }
        Ok(caller)
    }

    /// Like [`App::resolve_session`], but also a session whose sign-in is
    /// half done (`caller.stage` says how far): only the second-step and
    /// enrolment pages may serve such a caller.
    pub async fn resolve_session_at_any_stage(
        &self,
        token: &SessionToken,
        client: ClientInfo,
    ) -> Result<Caller, AppError> {
        let now = self.now();
        let hash = token_hash(token);
        let mut conn = self.store().read().await?;
        let session = sessions::find_by_token_hash(&mut conn, &hash)
            .await?
            .ok_or_else(not_signed_in)?;
        let user = users::get(&mut conn, session.user).await?;
        drop(conn);
        let ended = session.check(now, self.settings().sessions).is_err();
        let user = match user {
            Some(user) if user.status == AccountStatus::Active && !ended => user,
            _ => {
                self.end_session(session.id).await?;
                return Err(not_signed_in());
            }
        };
        if now.duration_since(session.last_seen_at) >= TOUCH_INTERVAL {
            let mut tx = self.store().write().await?;
            sessions::touch(&mut tx, session.id, now).await?;
            tx.commit().await?;
        }
        let mut conn = self.store().read().await?;
        let memberships = memberships::of_user(&mut conn, user.id).await?;
        let on_behalf_of = assistants::acting_for(&mut conn, session.id)
            .await?
            .map(|a| OnBehalfOf {
                clinician: a.clinician,
                name: a.clinician_name,
                hcp: a.hcp,
            });
        drop(conn);
        let (id, rotated_to) = self
            .rotate_on_role_change(&session, &memberships, &client)
            .await?;
        Ok(Caller {
            user,
            memberships,
            session: id,
            rotated_to,
            current_ern: session.current_ern,
            stage: session.stage,
            client,
            now,
            on_behalf_of,
            api_token: None,
        })
    }

    async fn end_session(&self, id: SessionId) -> Result<(), AppError> {
        let mut tx = self.store().write().await?;
        sessions::delete(&mut tx, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends the caller's session.
    pub async fn sign_out(&self, caller: &Caller) -> Result<(), AppError> {
        let mut tx = self.store().write().await?;
        sessions::delete(&mut tx, caller.session).await?;
        let event = caller.audit_event(
            "auth.sign_out",
            format!("user:{}", caller.user.id),
            Outcome::Success,
        );
        audit::append(&mut tx, event, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes sessions past their absolute end (housekeeping).
    pub async fn purge_expired_sessions(&self) -> Result<u64, AppError> {
        let mut tx = self.store().write().await?;
        let removed = sessions::delete_expired(&mut tx, self.now()).await?;
        tx.commit().await?;
        Ok(removed)
    }

    /// Remembers which network the caller works in (the ERN switcher).
    pub async fn switch_ern(&self, caller: &Caller, ern: &ErnCode) -> Result<(), AppError> {
        if !caller.erns().contains(ern) {
            return Err(AppError::forbidden());
        }
        let mut tx = self.store().write().await?;
        sessions::set_current_ern(&mut tx, caller.session, ern).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Opens a session at `stage` and returns its token.
    pub(crate) async fn open_session(
        &self,
        tx: &mut cpms_store::WriteTx,
        user: cpms_domain::ids::UserId,
        client: &ClientInfo,
        stage: SessionStage,
    ) -> Result<SessionToken, AppError> {
        let roles = memberships::of_user(tx, user).await?;
        let session = Session {
            stage,
            roles_digest: Some(super::rotation::roles_digest(&roles)),
            ..self.new_session(user, client)
        };
        let token = SessionToken::generate();
        sessions::insert(tx, &session, &token_hash(&token)).await?;
        Ok(token)
    }

    fn new_session(&self, user: cpms_domain::ids::UserId, client: &ClientInfo) -> Session {
        let now = self.now();
        Session {
            id: SessionId::new(),
            user,
            created_at: now,
            last_seen_at: now,
            expires_at: now
                .saturating_add(self.settings().sessions.absolute)
                .unwrap_or(now),
            client_addr: client.addr.clone(),
            user_agent: client.user_agent.clone(),
            current_ern: None,
            stage: SessionStage::Full,
            roles_digest: None,
        }
    }
}

pub(crate) fn not_signed_in() -> AppError {
    AppError::new(ErrorCode::NotSignedIn, "Please sign in.")
}
