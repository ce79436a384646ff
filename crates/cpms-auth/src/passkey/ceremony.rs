//! Server-side state of a started ceremony, serialisable so it can wait in a session row and be
//! finished by any server instance.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use webauthn_rs::prelude::{
    DiscoverableAuthentication, PasskeyAuthentication, PasskeyRegistration,
};

use super::PasskeyError;

/// One ceremony's `webauthn-rs` state (challenge, allowed credentials, policy) with the time it
/// started. Keep it server side only: it must not be shown to or altered by the browser.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CeremonyState<T> {
    started_at: Timestamp,
    inner: T,
}

/// State of a started passkey registration.
pub type RegistrationState = CeremonyState<PasskeyRegistration>;
/// State of a started sign-in of a known account.
pub type AuthenticationState = CeremonyState<PasskeyAuthentication>;
/// State of a started usernameless sign-in.
pub type DiscoverableState = CeremonyState<DiscoverableAuthentication>;

impl<T> CeremonyState<T> {
    pub(super) fn new(inner: T, started_at: Timestamp) -> Self {
        Self { started_at, inner }
    }

    /// The inner state, unless the ceremony has run longer than `timeout`.
    pub(super) fn fresh(
        &self,
        now: Timestamp,
        timeout: SignedDuration,
    ) -> Result<&T, PasskeyError> {
        if now.duration_since(self.started_at) > timeout {
            return Err(PasskeyError::CeremonyExpired);
        }
        Ok(&self.inner)
    }
}
