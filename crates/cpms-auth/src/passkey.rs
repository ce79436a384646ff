//! WebAuthn passkeys, on top of `webauthn-rs`.
//!
//! Every ceremony has two halves. `start_*` returns the options for the browser (serialise them
//! to JSON for `navigator.credentials.create/get`, after the usual base64url decoding in the
//! page script) and a state value the caller keeps server side, e.g. in the session row, so any
//! server instance can finish it. `finish_*` takes that state back with the browser's response
//! as JSON (`PublicKeyCredential.toJSON()`). A state must be used at most once: remove it from
//! the session before calling `finish_*`. States expire after
//! [`PasskeyConfig::ceremony_timeout`].
//!
//! User verification (PIN or biometric) is required, so a passkey is a complete second factor
//! and can also sign in on its own.

mod ceremony;
mod stored;

pub use ceremony::{AuthenticationState, CeremonyState, DiscoverableState, RegistrationState};
pub use stored::{PasskeyAssertion, StoredPasskey};
pub use webauthn_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse};

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use url::Url;
use uuid::Uuid;
use webauthn_rs::prelude::{
    PublicKeyCredential, RegisterPublicKeyCredential, Webauthn, WebauthnBuilder, WebauthnError,
};
use webauthn_rs_proto::ResidentKeyRequirement;

/// The relying party: who passkeys are created for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyConfig {
    /// The domain passkeys are bound to, e.g. `cpms.example.eu` or `localhost`.
    pub rp_id: String,
    /// The origin pages run on, e.g. `https://cpms.example.eu` or `http://localhost:8080`.
    /// Its host must be `rp_id` or a subdomain of it.
    pub rp_origin: Url,
    /// Name the browser shows in its passkey dialogs.
    pub rp_name: String,
    /// How long a started ceremony may take to finish.
    pub ceremony_timeout: SignedDuration,
}

impl PasskeyConfig {
    /// A configuration with a five-minute ceremony timeout.
    pub fn new(rp_id: &str, rp_origin: Url, rp_name: &str) -> Self {
        Self {
            rp_id: rp_id.to_owned(),
            rp_origin,
            rp_name: rp_name.to_owned(),
            ceremony_timeout: SignedDuration::from_mins(5),
        }
    }
}

/// The account a passkey is registered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasskeyUser<'a> {
    /// Stable account id; authenticators store it as the user handle and return it in
    /// usernameless sign-in.
    pub id: Uuid,
    /// Account name shown by the authenticator, e.g. the e-mail address.
    pub name: &'a str,
    /// Person's name shown by the authenticator.
    pub display_name: &'a str,
}

/// A passkey ceremony failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasskeyError {
    #[error("the passkey configuration is invalid: {0}")]
    Misconfigured(String),
    #[error("the browser's passkey response is malformed: {0}")]
    MalformedResponse(String),
    #[error("the stored passkey cannot be read: {0}")]
    MalformedStoredPasskey(String),
    #[error("the passkey ceremony took too long; start again")]
    CeremonyExpired,
    #[error("the account has no passkeys")]
    NoCredentials,
    #[error("this authenticator already holds a passkey for the account")]
    AlreadyRegistered,
    #[error("the passkey used is not one registered for this sign-in")]
    UnknownCredential,
    #[error("the response answers another challenge")]
    ChallengeMismatch,
    #[error("the response comes from another site or relying party")]
    WrongOrigin,
    #[error("the authenticator did not verify the user (PIN or biometric)")]
    UserNotVerified,
    #[error("the passkey's signature counter went backwards; it may have been cloned")]
    PossibleClone,
    #[error("the passkey response was rejected: {0}")]
    Rejected(String),
}

impl From<WebauthnError> for PasskeyError {
    fn from(error: WebauthnError) -> Self {
        match error {
            WebauthnError::Configuration => Self::Misconfigured(error.to_string()),
            WebauthnError::MismatchedChallenge | WebauthnError::ChallengeNotFound => {
                Self::ChallengeMismatch
            }
            WebauthnError::InvalidRPOrigin
            | WebauthnError::InvalidRPIDHash
            | WebauthnError::CredentialCrossOrigin => Self::WrongOrigin,
            WebauthnError::UserNotVerified => Self::UserNotVerified,
            WebauthnError::CredentialPossibleCompromise => Self::PossibleClone,
            WebauthnError::CredentialNotFound => Self::UnknownCredential,
            WebauthnError::CredentialExcludedFromRequest
            | WebauthnError::CredentialAlreadyExists => Self::AlreadyRegistered,
            other => Self::Rejected(other.to_string()),
        }
    }
}

/// Runs passkey ceremonies for one relying party.
#[derive(Debug, Clone)]
pub struct Passkeys {
    webauthn: Webauthn,
    ceremony_timeout: SignedDuration,
}

impl Passkeys {
    pub fn new(config: &PasskeyConfig) -> Result<Self, PasskeyError> {
        if !config.ceremony_timeout.is_positive() {
            return Err(PasskeyError::Misconfigured(
                "the ceremony timeout must be positive".into(),
            ));
        }
        let timeout = config
            .ceremony_timeout
            .try_into()
            .map_err(|e| PasskeyError::Misconfigured(format!("ceremony timeout: {e}")))?;
        let webauthn = WebauthnBuilder::new(&config.rp_id, &config.rp_origin)
            .map_err(|_| {
                PasskeyError::Misconfigured(format!(
                    "the origin {} is not on the relying party domain {:?}",
                    config.rp_origin, config.rp_id
                ))
            })?
            .rp_name(&config.rp_name)
            .timeout(timeout)
            .build()?;
        Ok(Self {
            webauthn,
            ceremony_timeout: config.ceremony_timeout,
        })
    }

    /// Starts registering a new passkey. `existing` are the account's current passkeys; the
    /// browser refuses to create a second one on an authenticator that already holds one.
    pub fn start_registration(
        &self,
        user: &PasskeyUser<'_>,
        existing: &[StoredPasskey],
        now: Timestamp,
    ) -> Result<(CreationChallengeResponse, RegistrationState), PasskeyError> {
        let exclude = existing.iter().map(|p| p.cred_id().clone()).collect();
        let (mut options, state) = self.webauthn.start_passkey_registration(
            user.id,
            user.name,
            user.display_name,
            Some(exclude),
        )?;
        // Ask for a discoverable credential so the passkey also works for usernameless
        // sign-in. Browsers treat "preferred" as "required" where the authenticator can store
        // it; requireResidentKey stays false so older authenticators can still register.
        if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
            selection.resident_key = Some(ResidentKeyRequirement::Preferred);
        }
        Ok((options, RegistrationState::new(state, now)))
    }

    /// Completes a registration; store the returned passkey with the account. The caller must
    /// also refuse a credential id already registered to another account.
    pub fn finish_registration(
        &self,
        state: &RegistrationState,
        response_json: &str,
        now: Timestamp,
    ) -> Result<StoredPasskey, PasskeyError> {
        let inner = state.fresh(now, self.ceremony_timeout)?;
        let response: RegisterPublicKeyCredential = parse_response(response_json)?;
        let passkey = self
            .webauthn
            .finish_passkey_registration(&response, inner)?;
        Ok(StoredPasskey::from(passkey))
    }

    /// Starts signing in a known account with one of its passkeys.
    pub fn start_authentication(
        &self,
        credentials: &[StoredPasskey],
        now: Timestamp,
    ) -> Result<(RequestChallengeResponse, AuthenticationState), PasskeyError> {
        if credentials.is_empty() {
            return Err(PasskeyError::NoCredentials);
        }
        let passkeys: Vec<_> = credentials.iter().map(|p| p.passkey().clone()).collect();
        let (options, state) = self.webauthn.start_passkey_authentication(&passkeys)?;
        Ok((options, AuthenticationState::new(state, now)))
    }

    /// Completes signing in a known account. Apply the result to the stored passkey
    /// ([`StoredPasskey::apply`]) and save it when it changed.
    pub fn finish_authentication(
        &self,
        state: &AuthenticationState,
        response_json: &str,
        now: Timestamp,
    ) -> Result<PasskeyAssertion, PasskeyError> {
        let inner = state.fresh(now, self.ceremony_timeout)?;
        let response: PublicKeyCredential = parse_response(response_json)?;
        let result = self
            .webauthn
            .finish_passkey_authentication(&response, inner)?;
        Ok(PasskeyAssertion::from(result))
    }

    /// Starts a usernameless sign-in: the browser offers whichever passkeys it holds for this
    /// site (the options ask for conditional mediation, i.e. passkeys in the username field's
    /// autofill).
    pub fn start_discoverable_authentication(
        &self,
        now: Timestamp,
    ) -> Result<(RequestChallengeResponse, DiscoverableState), PasskeyError> {
        let (options, state) = self.webauthn.start_discoverable_authentication()?;
        Ok((options, DiscoverableState::new(state, now)))
    }

    /// First step of finishing a usernameless sign-in: which account (user handle) and which
    /// credential id (base64url) the response claims. Look both up, check that the credential
    /// belongs to that account, then call [`Self::finish_discoverable_authentication`].
    pub fn identify_discoverable(
        &self,
        response_json: &str,
    ) -> Result<(Uuid, String), PasskeyError> {
        let response: PublicKeyCredential = parse_response(response_json)?;
        let (user, credential_id) = self
            .webauthn
            .identify_discoverable_authentication(&response)
            .map_err(|_| {
                PasskeyError::MalformedResponse("the response carries no valid user handle".into())
            })?;
        Ok((user, stored::encode_credential_id(credential_id)))
    }

    /// Completes a usernameless sign-in against the credential found from
    /// [`Self::identify_discoverable`].
    pub fn finish_discoverable_authentication(
        &self,
        state: &DiscoverableState,
        response_json: &str,
        credential: &StoredPasskey,
        now: Timestamp,
    ) -> Result<PasskeyAssertion, PasskeyError> {
        let inner = state.fresh(now, self.ceremony_timeout)?.clone();
        let response: PublicKeyCredential = parse_response(response_json)?;
        if response.get_credential_id() != credential.cred_id().as_slice() {
            return Err(PasskeyError::UnknownCredential);
        }
        let result = self.webauthn.finish_discoverable_authentication_v2(
            &response,
            inner,
            credential.passkey(),
        )?;
        Ok(PasskeyAssertion::from(result))
    }
}

fn parse_response<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, PasskeyError> {
    serde_json::from_str(json).map_err(|e| PasskeyError::MalformedResponse(e.to_string()))
}
