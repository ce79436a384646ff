//! Ceremonies that span two requests keep their state in the database under
//! a random handle the browser holds (a hidden field or a cookie); only the
//! handle's hash is stored, and a ceremony is bound to its user and kind.

use cpms_domain::ids::UserId;
use cpms_store::WriteTx;
use cpms_store::repo::ceremonies::{self, Ceremony};
use jiff::SignedDuration;

use super::session::{SessionToken, token_hash};
use crate::{App, AppError};

/// Kinds of ceremony, as stored.
pub(crate) const TOTP_ENROLMENT: &str = "totp_enrolment";
pub(crate) const PASSKEY_REGISTRATION: &str = "passkey_registration";
pub(crate) const PASSKEY_SIGN_IN: &str = "passkey_sign_in";
pub(crate) const OIDC_SIGN_IN: &str = "oidc_sign_in";

const EXPIRED: &str = "This step has expired. Please start again.";

impl App {
    /// Stores a new ceremony and returns the handle for the browser.
    pub(crate) async fn begin_ceremony(
        &self,
        kind: &str,
        user: Option<UserId>,
        state: String,
        lifetime: SignedDuration,
    ) -> Result<String, AppError> {
        let handle = SessionToken::generate();
        let now = self.now();
        let ceremony = Ceremony {
            kind: kind.to_owned(),
            user,
            state,
            expires_at: now.saturating_add(lifetime).unwrap_or(now),
        };
        let mut tx = self.store().write().await?;
        ceremonies::delete_expired(&mut tx, now).await?;
        ceremonies::insert(&mut tx, &token_hash(&handle), &ceremony).await?;
        tx.commit().await?;
        Ok(handle.as_str().to_owned())
    }

    /// The state of a live ceremony of `kind` begun for `user`.
    pub(crate) async fn ceremony_state(
        &self,
        handle: &str,
        kind: &str,
        user: Option<UserId>,
    ) -> Result<String, AppError> {
        let mut conn = self.store().read().await?;
        let found = ceremonies::get(&mut conn, &hash(handle)).await?;
        match found {
            Some(c) if c.kind == kind && c.user == user && c.expires_at > self.now() => Ok(c.state),
            _ => Err(AppError::invalid(EXPIRED)),
        }
    }

    /// Uses a ceremony up inside the transaction that completes it, so it
    /// completes once even when two requests race.
    pub(crate) async fn end_ceremony(
        &self,
        tx: &mut WriteTx,
        handle: &str,
    ) -> Result<(), AppError> {
        if ceremonies::take(tx, &hash(handle)).await? {
            Ok(())
        } else {
            Err(AppError::invalid(EXPIRED))
        }
    }
}

impl App {
    /// Reads and uses up a live ceremony of `kind` begun for `user` inside
    /// `tx`, and decodes its state.
    pub(crate) async fn take_ceremony<T: serde::de::DeserializeOwned>(
        &self,
        tx: &mut WriteTx,
        handle: &str,
        kind: &str,
        user: Option<UserId>,
    ) -> Result<T, AppError> {
        let found = ceremonies::get(tx, &hash(handle)).await?;
        let state = match found {
            Some(c) if c.kind == kind && c.user == user && c.expires_at > self.now() => c.state,
            _ => return Err(AppError::invalid(EXPIRED)),
        };
        self.end_ceremony(tx, handle).await?;
        serde_json::from_str(&state).map_err(AppError::internal)
    }
}

fn hash(handle: &str) -> String {
    token_hash(&SessionToken::from_cookie(handle))
}
