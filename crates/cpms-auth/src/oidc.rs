//! OpenID Connect relying party: sign-in through an external identity provider (EU Login in
//! production, any OpenID provider in general).
//!
//! The flow is the authorization code flow with PKCE (S256), `state` and `nonce`:
//! 1. [`OidcRelyingParty::discover`] reads the provider's metadata and signing keys (once, at
//!    start-up or on first use; keep the value).
//! 2. [`OidcRelyingParty::begin`] gives the URL to redirect the browser to and an [`OidcFlow`]
//!    the caller stores server side (in the session row), never in the browser.
//! 3. The provider redirects back with query parameters ([`OidcCallback`]);
//!    [`OidcRelyingParty::complete`] checks them against the stored flow, redeems the code and
//!    validates the ID token (signature against the provider's keys, issuer, audience, expiry,
//!    nonce), then the required authentication strength (`acr`/`amr`).
//!
//! A person is identified by `(issuer, subject)` ([`OidcIdentity::key`]); the e-mail address is
//! informational only, because providers let people change it and two providers may vouch for
//! the same address.

mod config;
mod flow;
mod http;
mod identity;

pub use config::{AuthenticationRequirement, OidcConfig};
pub use flow::{OidcCallback, OidcFlow, OidcRelyingParty};
pub use identity::OidcIdentity;

/// Why a sign-in through the identity provider failed. Each variant deserves its own page:
/// the first two are operator problems, the others are about this one sign-in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OidcError {
    #[error("the identity provider cannot be reached: {0}")]
    ProviderUnreachable(String),
    #[error("the identity provider settings are wrong: {0}")]
    Misconfigured(String),
    #[error("the sign-in response does not belong to a sign-in started here")]
    StateMismatch,
    #[error("the sign-in response names another identity provider")]
    IssuerMismatch,
    #[error("the identity provider returned an invalid ID token: {0}")]
    InvalidIdToken(String),
    #[error(
        "the identity provider did not perform the required authentication \
         (reported acr {acr:?}, amr {amr:?})"
    )]
    InsufficientAuthentication {
        acr: Option<String>,
        amr: Vec<String>,
    },
    #[error("the identity provider refused the sign-in: {error}")]
    ProviderError {
        error: String,
        description: Option<String>,
    },
}
