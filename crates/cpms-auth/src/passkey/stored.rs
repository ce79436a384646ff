//! Registered passkeys as stored with the account, and what a sign-in tells about them.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use webauthn_rs::prelude::{AuthenticationResult, CredentialID, Passkey};

use super::PasskeyError;

/// A registered passkey: public key, credential id, signature counter and backup flags.
/// Store it as JSON ([`Self::to_json`]); it holds no secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StoredPasskey(Passkey);

impl StoredPasskey {
    /// The credential id as base64url without padding, the form browsers use for `id`. Index
    /// stored passkeys by it: it must be unique across all accounts.
    pub fn credential_id(&self) -> String {
        encode_credential_id(self.cred_id())
    }

    pub fn to_json(&self) -> String {
        // A Passkey is plain data (byte strings, integers, enums): serialising cannot fail.
        serde_json::to_string(&self.0).expect("a passkey serialises to JSON")
    }

    pub fn from_json(json: &str) -> Result<Self, PasskeyError> {
        serde_json::from_str(json)
            .map(Self)
            .map_err(|e| PasskeyError::MalformedStoredPasskey(e.to_string()))
    }

    /// Updates the signature counter and backup flags from a sign-in with this passkey.
    /// Returns whether anything changed, i.e. whether to save it again.
    pub fn apply(&mut self, assertion: &PasskeyAssertion) -> Result<bool, PasskeyError> {
        self.0
            .update_credential(&assertion.result)
            .ok_or(PasskeyError::UnknownCredential)
    }

    pub(super) fn cred_id(&self) -> &CredentialID {
        self.0.cred_id()
    }

    pub(super) fn passkey(&self) -> &Passkey {
        &self.0
    }
}

impl From<Passkey> for StoredPasskey {
    fn from(passkey: Passkey) -> Self {
        Self(passkey)
    }
}

pub(super) fn encode_credential_id(id: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(id)
}

/// A successful passkey sign-in.
#[derive(Debug, Clone)]
pub struct PasskeyAssertion {
    result: AuthenticationResult,
}

impl PasskeyAssertion {
    /// Which passkey was used (base64url, as [`StoredPasskey::credential_id`]).
    pub fn credential_id(&self) -> String {
        encode_credential_id(self.result.cred_id())
    }

    /// Whether the authenticator verified the user (always true: verification is required).
    pub fn user_verified(&self) -> bool {
        self.result.user_verified()
    }

    /// Whether the passkey is currently backed up (synced), e.g. to a platform account.
    pub fn backed_up(&self) -> bool {
        self.result.backup_state()
    }

    /// The authenticator's signature counter (0 for authenticators that keep none).
    pub fn counter(&self) -> u32 {
        self.result.counter()
    }
}

impl From<AuthenticationResult> for PasskeyAssertion {
    fn from(result: AuthenticationResult) -> Self {
        Self { result }
    }
}
