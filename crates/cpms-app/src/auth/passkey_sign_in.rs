//! Signing in with a passkey alone, from the sign-in page: the browser
//! offers whichever passkey it holds for this site (usernameless). The
//! passkey is possession and, with the user verification it requires, a
//! PIN or biometric: both factors at once, so the session is complete.

use cpms_auth::passkey::{DiscoverableState, StoredPasskey};
use cpms_auth::throttle::AttemptKind;
use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::ids::UserId;
use cpms_domain::session::SessionStage;
use cpms_domain::user::AccountStatus;
use cpms_store::repo::{audit, passkeys, users};

use super::ceremony::PASSKEY_FIRST_FACTOR;
use super::passkeys::PasskeyOffer;
use super::sign_in::SignedIn;
use crate::{App, AppError, ClientInfo, ErrorCode};

const REFUSED: &str =
    "The passkey was not accepted. Please try again, or sign in with your password.";

impl App {
    /// A challenge for the sign-in page.
    pub async fn start_passkey_first_factor(&self) -> Result<PasskeyOffer, AppError> {
        let (options, state) = self
            .passkeys()
            .start_discoverable_authentication(self.now())
            .map_err(AppError::internal)?;
        self.offer(None, PASSKEY_FIRST_FACTOR, &options, &state)
            .await
    }

    /// Signs in with the browser's answer to that challenge.
    pub async fn sign_in_with_passkey(
        &self,
        handle: &str,
        response_json: &str,
        client: ClientInfo,
    ) -> Result<SignedIn, AppError> {
        self.check_rate(AttemptKind::SignIn, &client)?;
        let mut tx = self.store().write().await?;
        let state: DiscoverableState = self
            .take_ceremony(&mut tx, handle, PASSKEY_FIRST_FACTOR, None)
            .await?;
        tx.commit().await?;
        let Ok((user_handle, credential_id)) = self.passkeys().identify_discoverable(response_json)
        else {
            return self.refuse_passkey(None, &client, "malformed answer").await;
        };
        let mut conn = self.store().read().await?;
        let row = passkeys::get(&mut conn, &credential_id).await?;
        let Some(row) = row.filter(|r| r.user.as_uuid() == user_handle) else {
            drop(conn);
            return self.refuse_passkey(None, &client, "unknown passkey").await;
        };
        let user = users::get(&mut conn, row.user)
            .await?
            .ok_or_else(|| AppError::internal("a passkey without its account"))?;
        drop(conn);
        self.check_lockout(user.id).await?;
        let mut stored = StoredPasskey::from_json(&row.passkey).map_err(AppError::internal)?;
        let assertion = match self.passkeys().finish_discoverable_authentication(
            &state,
            response_json,
            &stored,
            self.now(),
        ) {
            Ok(assertion) => assertion,
            Err(e) => {
                tracing::info!(%e, "passkey sign-in refused");
                self.record_failure(user.id).await?;
                return self
                    .refuse_passkey(Some(user.id), &client, "passkey refused")
                    .await;
            }
        };
        if user.status == AccountStatus::Suspended {
            self.audit_sign_in(
                Some(user.id),
                &user.username,
                &client,
                Outcome::Denied,
                "passkey: account suspended",
            )
            .await?;
            return Err(AppError::new(
                ErrorCode::AccountSuspended,
                "This account is suspended. Please contact your ERN coordinator.",
            ));
        }
        let changed = stored.apply(&assertion).map_err(AppError::internal)?;
        let json = changed.then(|| stored.to_json());
        let mut tx = self.store().write().await?;
        passkeys::record_use(&mut tx, &row.credential_id, json.as_deref(), self.now()).await?;
        let token = self
            .open_session(&mut tx, user.id, &client, SessionStage::Full)
            .await?;
        let event = NewEvent::new(
            "auth.sign_in",
            format!("user:{}", user.id),
            Outcome::Success,
        )
        .by(user.id)
        .from_addr(client.addr.clone())
        .detail("passkey");
        audit::append(&mut tx, event, self.now()).await?;
        self.reset_lockout(&mut tx, user.id).await?;
        tx.commit().await?;
        Ok(SignedIn {
            token,
            username: user.username,
            stage: SessionStage::Full,
        })
    }

    async fn refuse_passkey<T>(
        &self,
        user: Option<UserId>,
        client: &ClientInfo,
        why: &str,
    ) -> Result<T, AppError> {
        self.audit_sign_in(
            user,
            "passkey",
            client,
            Outcome::Failure,
            &format!("passkey: {why}"),
        )
        .await?;
        Err(AppError::new(ErrorCode::InvalidCredentials, REFUSED))
    }
}
