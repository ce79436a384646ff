//! Signing in through an external OpenID provider (EU Login in production):
//! authorization code flow with PKCE, state and nonce (cpms-auth does the
//! protocol). The flow waits in a ceremony row under a handle the browser
//! holds in a cookie; the person is found by the provider's (issuer,
//! subject), never by e-mail. The provider's metadata is fetched on first
//! use, so a provider that is down delays only this way of signing in.

use std::sync::{Arc, Mutex, PoisonError};

use cpms_auth::oidc::{
    AuthenticationRequirement, OidcCallback, OidcConfig, OidcError, OidcFlow, OidcIdentity,
    OidcRelyingParty,
};
use cpms_auth::throttle::AttemptKind;
use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::session::SessionStage;
use cpms_domain::user::AccountStatus;
use cpms_store::repo::{audit, identities, users};
use jiff::SignedDuration;

use super::ceremony::OIDC_SIGN_IN;
use super::sign_in::SignedIn;
use crate::{App, AppError, ClientInfo};

/// Time to sign in at the provider.
const FLOW_TIME: SignedDuration = SignedDuration::from_mins(10);

/// The provider settings, from the server configuration.
#[derive(Clone, PartialEq, Eq)]
pub struct OidcSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// Where the provider sends the browser back; by default
    /// `<origin>/signin/oidc/callback`.
    pub redirect_url: Option<String>,
    /// Any of these `acr` values must be reported (empty: no requirement).
    pub required_acr: Vec<String>,
    /// Any of these `amr` values must be reported (empty: no requirement).
    pub required_amr: Vec<String>,
    /// The provider's name on the sign-in button, e.g. "EU Login".
    pub display_name: String,
}

impl std::fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("display_name", &self.display_name)
            .finish_non_exhaustive()
    }
}

/// The configured provider and, once discovered, its relying party.
pub(crate) struct OidcProvider {
    settings: Option<OidcSettings>,
    discovered: Mutex<Option<Arc<OidcRelyingParty>>>,
}

impl OidcProvider {
    pub(crate) fn new(settings: Option<OidcSettings>) -> Self {
        Self {
            settings,
            discovered: Mutex::new(None),
        }
    }
}

/// Why a sign-in through the provider did not end in a session; each gets
/// its own page.
#[derive(Debug)]
pub enum OidcSignInError {
    /// The provider cannot be reached (503).
    ProviderDown,
    /// Our settings or the provider's answers are wrong: an operator
    /// problem (502).
    ProviderFault,
    /// This sign-in response is not acceptable: foreign state, a token that
    /// does not validate, too weak an authentication, or the provider
    /// refused (400). The message says which, for the person.
    Refused(&'static str),
    /// Nobody here has this identity yet (403): the page offers /signup.
    UnknownIdentity {
        name: Option<String>,
    },
    Other(AppError),
}

impl From<AppError> for OidcSignInError {
    fn from(error: AppError) -> Self {
        Self::Other(error)
    }
}

impl From<cpms_store::StoreError> for OidcSignInError {
    fn from(error: cpms_store::StoreError) -> Self {
        Self::Other(error.into())
    }
}

impl App {
    /// The provider's display name when sign-in through it is configured.
    pub fn oidc_provider_name(&self) -> Option<&str> {
        self.oidc_provider()
            .settings
            .as_ref()
            .map(|s| s.display_name.as_str())
    }

    /// Starts a sign-in at the provider: the URL to send the browser to and
    /// the handle for the cookie that ties the callback to this flow.
    pub async fn begin_oidc_sign_in(
        &self,
        return_to: &str,
        client: &ClientInfo,
    ) -> Result<(String, String), OidcSignInError> {
        self.check_rate(AttemptKind::SignIn, client)?;
        let party = self.relying_party_for_oidc().await?;
        let (url, flow) = party.begin(return_to).map_err(|e| self.oidc_failure(e))?;
        let state = serde_json::to_string(&flow).map_err(AppError::internal)?;
        let handle = self
            .begin_ceremony(OIDC_SIGN_IN, None, state, FLOW_TIME)
            .await?;
        Ok((url.to_string(), handle))
    }

    /// Completes a sign-in from the provider's callback: a full session for
    /// the account the identity is linked to. The provider's own
    /// authentication (with the required acr/amr) stands for both factors.
    pub async fn complete_oidc_sign_in(
        &self,
        handle: &str,
        callback: &OidcCallback,
        client: ClientInfo,
    ) -> Result<(SignedIn, String), OidcSignInError> {
        self.check_rate(AttemptKind::SignIn, &client)?;
        let party = self.relying_party_for_oidc().await?;
        let mut tx = self.store().write().await?;
        let flow: OidcFlow = self
            .take_ceremony(&mut tx, handle, OIDC_SIGN_IN, None)
            .await
            .map_err(|_| OidcSignInError::Refused(NO_FLOW))?;
        tx.commit().await?;
        let identity = match party.complete(&flow, callback).await {
            Ok(identity) => identity,
            Err(error) => {
                let failure = self.oidc_failure(error);
                self.audit_oidc(None, &client, Outcome::Failure, &format!("{failure:?}"))
                    .await?;
                return Err(failure);
            }
        };
        let signed_in = self.open_oidc_session(&identity, &client).await?;
        Ok((signed_in, flow.return_to))
    }

    async fn open_oidc_session(
        &self,
        identity: &OidcIdentity,
        client: &ClientInfo,
    ) -> Result<SignedIn, OidcSignInError> {
        let mut conn = self.store().read().await?;
        let linked = identities::user_of(&mut conn, &identity.issuer, &identity.subject).await?;
        let user = match linked {
            Some(id) => users::get(&mut conn, id).await?,
            None => None,
        };
        drop(conn);
        let Some(user) = user else {
            self.audit_oidc(None, client, Outcome::Failure, "unknown identity")
                .await?;
            return Err(OidcSignInError::UnknownIdentity {
                name: identity.name.clone(),
            });
        };
        if user.status == AccountStatus::Suspended {
            self.audit_oidc(Some(&user.id), client, Outcome::Denied, "account suspended")
                .await?;
            return Err(AppError::new(
                crate::ErrorCode::AccountSuspended,
                "This account is suspended. Please contact your ERN coordinator.",
            )
            .into());
        }
        let mut tx = self.store().write().await?;
        let token = self
            .open_session(&mut tx, user.id, client, SessionStage::Full)
            .await?;
        identities::record_use(&mut tx, &identity.issuer, &identity.subject, self.now()).await?;
        let event = NewEvent::new(
            "auth.sign_in",
            format!("user:{}", user.id),
            Outcome::Success,
        )
        .by(user.id)
        .from_addr(client.addr.clone())
        .detail(format!("openid connect: {}", identity.issuer));
        audit::append(&mut tx, event, self.now()).await?;
        tx.commit().await?;
        Ok(SignedIn {
            token,
            username: user.username,
            stage: SessionStage::Full,
        })
    }

    /// The relying party, discovering the provider on first use.
    async fn relying_party_for_oidc(&self) -> Result<Arc<OidcRelyingParty>, OidcSignInError> {
        let provider = self.oidc_provider();
        let Some(settings) = &provider.settings else {
            return Err(AppError::not_found("Sign-in through an identity provider").into());
        };
        let cached = provider
            .discovered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(party) = cached {
            return Ok(party);
        }
        let config = self.oidc_config(settings);
        let party = Arc::new(
            OidcRelyingParty::discover(config)
                .await
                .map_err(|e| self.oidc_failure(e))?,
        );
        *provider
            .discovered
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&party));
        Ok(party)
    }

    fn oidc_config(&self, settings: &OidcSettings) -> OidcConfig {
        let redirect = settings.redirect_url.clone().unwrap_or_else(|| {
            format!(
                "{}/signin/oidc/callback",
                self.settings().origin.trim_end_matches('/')
            )
        });
        let mut config = OidcConfig::new(
            &settings.issuer,
            &settings.client_id,
            settings.client_secret.as_deref(),
            &redirect,
        );
        config.requirement = AuthenticationRequirement {
            acr_any_of: settings.required_acr.clone(),
            amr_any_of: settings.required_amr.clone(),
        };
        config
    }

    /// Logs what went wrong in full; the person gets a page by kind.
    fn oidc_failure(&self, error: OidcError) -> OidcSignInError {
        tracing::warn!(%error, "sign-in through the identity provider failed");
        match error {
            OidcError::ProviderUnreachable(_) => OidcSignInError::ProviderDown,
            OidcError::Misconfigured(_) => OidcSignInError::ProviderFault,
            OidcError::StateMismatch => OidcSignInError::Refused(NO_FLOW),
            OidcError::IssuerMismatch | OidcError::InvalidIdToken(_) => OidcSignInError::Refused(
                "The identity provider's answer could not be verified, so it was not accepted.",
            ),
            OidcError::InsufficientAuthentication { .. } => OidcSignInError::Refused(
                "ERN-CPMS needs a sign-in with a second factor at the identity provider (for example a mobile app or security key). Please sign in again and choose one.",
            ),
            OidcError::ProviderError { .. } => {
                OidcSignInError::Refused("The identity provider did not complete the sign-in.")
            }
        }
    }

    async fn audit_oidc(
        &self,
        user: Option<&cpms_domain::ids::UserId>,
        client: &ClientInfo,
        outcome: Outcome,
        why: &str,
    ) -> Result<(), AppError> {
        let target = match user {
            Some(id) => format!("user:{id}"),
            None => "openid connect".to_owned(),
        };
        let mut event = NewEvent::new("auth.sign_in", target, outcome)
            .from_addr(client.addr.clone())
            .detail(format!("openid connect: {why}"));
        event.actor = user.copied();
        let mut tx = self.store().write().await?;
        audit::append(&mut tx, event, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }
}

const NO_FLOW: &str = "This sign-in response does not belong to a sign-in started in this browser, or it took too long. Please start again.";
