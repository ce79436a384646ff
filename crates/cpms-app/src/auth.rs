//! Signing in and out, second factors, sessions, and resolving a request's
//! session.

mod account_admin;
mod api_tokens;
mod ceremony;
mod enrolment;
mod lockout;
mod my_sessions;
mod oidc_sign_in;
mod passkey_sign_in;
mod passkeys;
mod rate_limit;
mod rotation;
mod second_factor;
mod session;
mod sign_in;

pub use account_admin::AccountSummary;
pub use api_tokens::{ApiTokenView, NewApiToken};
pub use cpms_auth::oidc::OidcCallback;
pub use enrolment::{Enrolled, SecurityOverview, TotpSetup};
pub use my_sessions::SessionView;
pub(crate) use oidc_sign_in::OidcProvider;
pub use oidc_sign_in::{OidcOutcome, OidcSettings, OidcSignInError};
pub(crate) use passkeys::relying_party;
pub use passkeys::{PasskeyOffer, PasskeyView};
pub use rate_limit::throttle_limits;
pub use second_factor::SecondFactor;
pub use session::{SessionToken, token_hash};
pub use sign_in::SignedIn;
