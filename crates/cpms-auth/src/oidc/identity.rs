//! Who signed in, as vouched for by the provider's validated ID token.

use jiff::Timestamp;
use openidconnect::core::CoreIdTokenClaims;
use serde::{Deserialize, Serialize};

/// A person authenticated by an OpenID provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcIdentity {
    /// The provider's issuer identifier.
    pub issuer: String,
    /// The provider's stable, never reassigned identifier for the person.
    pub subject: String,
    /// Informational: for display and invitations, never to find the account.
    pub email: Option<String>,
    pub email_verified: Option<bool>,
    pub name: Option<String>,
    /// Authentication context class the provider reports (`acr`).
    pub acr: Option<String>,
    /// Authentication methods the provider reports (`amr`), e.g. `pwd`, `otp`, `hwk`.
    pub amr: Vec<String>,
    /// When the person last actively authenticated at the provider (`auth_time`).
    pub authenticated_at: Option<Timestamp>,
}

impl OidcIdentity {
    /// The key to look the account up by.
    pub fn key(&self) -> (&str, &str) {
        (&self.issuer, &self.subject)
    }

    pub(super) fn from_claims(claims: &CoreIdTokenClaims) -> Self {
        Self {
            issuer: claims.issuer().to_string(),
            subject: claims.subject().to_string(),
            email: claims.email().map(|email| email.to_string()),
            email_verified: claims.email_verified(),
            name: claims
                .name()
                .and_then(|name| name.get(None))
                .map(|name| name.to_string()),
            acr: claims.auth_context_ref().map(|acr| acr.to_string()),
            amr: claims
                .auth_method_refs()
                .map(|methods| methods.iter().map(|m| m.to_string()).collect())
                .unwrap_or_default(),
            authenticated_at: claims
                .auth_time()
                .and_then(|time| Timestamp::from_second(time.timestamp()).ok()),
        }
    }
}
