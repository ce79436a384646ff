//! The authorization code flow: redirect to the provider, come back, redeem, validate.

use std::sync::{PoisonError, RwLock};

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreErrorResponseType, CoreIdToken, CoreIdTokenClaims,
    CoreJsonWebKeySet, CoreProviderMetadata,
};
use openidconnect::{
    AuthenticationContextClass, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret,
    CsrfToken, DiscoveryError, EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl,
    JsonWebKeySet, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError,
    Scope, SignatureVerificationError, StandardErrorResponse, TokenResponse,
};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq as _;
use url::Url;

use super::http::{ProviderHttp, TransportError};
use super::{OidcConfig, OidcError, OidcIdentity};

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A started sign-in. Store it server side (session row) until the callback, then discard it:
/// it holds the PKCE verifier, which must not reach the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcFlow {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// Local path to continue at after signing in.
    pub return_to: String,
}

/// The query parameters of the provider's redirect back to the callback URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcCallback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
    /// RFC 9207 issuer identification, sent by providers that support it.
    pub iss: Option<String>,
}

/// A relying party bound to one discovered provider. Cheap to share (`Arc`) across requests.
#[derive(Debug)]
pub struct OidcRelyingParty {
    config: OidcConfig,
    http: ProviderHttp,
    /// Provider metadata with its signing keys; the keys are refreshed when the provider
    /// starts signing with one we have not seen (key rotation).
    metadata: RwLock<CoreProviderMetadata>,
}

impl OidcRelyingParty {
    /// Fetches the provider's metadata and signing keys from `<issuer>/.well-known/openid-configuration`.
    pub async fn discover(config: OidcConfig) -> Result<Self, OidcError> {
        config.validate()?;
        let timeout = config
            .http_timeout
            .try_into()
            .map_err(|e| OidcError::Misconfigured(format!("HTTP timeout: {e}")))?;
        let http = ProviderHttp::new(timeout)?;
        let issuer = IssuerUrl::new(config.issuer_url.clone())
            .map_err(|e| OidcError::Misconfigured(format!("issuer URL: {e}")))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &http)
            .await
            .map_err(discovery_error)?;
        let party = Self {
            config,
            http,
            metadata: RwLock::new(metadata),
        };
        // Build the client once now so configuration mistakes surface at start-up.
        party.client()?;
        Ok(party)
    }

    /// The provider's issuer identifier, as discovered.
    pub fn issuer(&self) -> String {
        self.metadata().issuer().to_string()
    }

    /// Starts a sign-in: returns the provider URL to redirect the browser to and the flow to
    /// store. `return_to` must be a local path (`/panels/42`); anything else becomes `/`, so the
    /// callback cannot be made to redirect to another site.
    pub fn begin(&self, return_to: &str) -> Result<(Url, OidcFlow), OidcError> {
        let client = self.client()?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in &self.config.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        for acr in &self.config.requirement.acr_any_of {
            request = request.add_auth_context_value(AuthenticationContextClass::new(acr.clone()));
        }
        let (url, state, nonce) = request.url();
        let flow = OidcFlow {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            return_to: local_path_or_root(return_to),
        };
        Ok((url, flow))
    }

    /// Finishes a sign-in from the provider's callback and the stored flow.
    pub async fn complete(
        &self,
        flow: &OidcFlow,
        callback: &OidcCallback,
    ) -> Result<OidcIdentity, OidcError> {
        let code = self.check_callback(flow, callback)?;
        let client = self.client()?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| OidcError::Misconfigured(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(flow.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(token_error)?;
        let id_token = response.id_token().ok_or_else(|| {
            OidcError::InvalidIdToken("the token response carries no ID token".into())
        })?;
        let claims = self
            .verify(id_token, &Nonce::new(flow.nonce.clone()))
            .await?;
        let identity = OidcIdentity::from_claims(&claims);
        if !self
            .config
            .requirement
            .is_met_by(identity.acr.as_deref(), &identity.amr)
        {
            return Err(OidcError::InsufficientAuthentication {
                acr: identity.acr,
                amr: identity.amr,
            });
        }
        Ok(identity)
    }

    /// Checks the callback belongs to `flow` and returns its authorization code.
    fn check_callback<'a>(
        &self,
        flow: &OidcFlow,
        callback: &'a OidcCallback,
    ) -> Result<&'a str, OidcError> {
        // State first: an error response with a foreign state is someone else's (or forged)
        // and must not be shown as this sign-in's outcome.
        let state_matches = callback
            .state
            .as_ref()
            .is_some_and(|state| bool::from(state.as_bytes().ct_eq(flow.state.as_bytes())));
        if !state_matches {
            return Err(OidcError::StateMismatch);
        }
        if let Some(error) = &callback.error {
            return Err(OidcError::ProviderError {
                error: error.clone(),
                description: callback.error_description.clone(),
            });
        }
        if callback
            .iss
            .as_ref()
            .is_some_and(|iss| *iss != self.issuer())
        {
            return Err(OidcError::IssuerMismatch);
        }
        callback
            .code
            .as_deref()
            .ok_or_else(|| OidcError::ProviderError {
                error: "invalid_request".into(),
                description: Some("the callback carries neither a code nor an error".into()),
            })
    }

    /// Validates the ID token; refetches the provider's keys once if it is signed with a key
    /// we do not know yet.
    async fn verify(
        &self,
        id_token: &CoreIdToken,
        nonce: &Nonce,
    ) -> Result<CoreIdTokenClaims, OidcError> {
        match self.verify_with_current_keys(id_token, nonce) {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => {
                self.refresh_keys().await?;
                self.verify_with_current_keys(id_token, nonce)
            }
            other => other,
        }
        .map_err(|e| OidcError::InvalidIdToken(describe_claims_error(&e)))
    }

    fn verify_with_current_keys(
        &self,
        id_token: &CoreIdToken,
        nonce: &Nonce,
    ) -> Result<CoreIdTokenClaims, ClaimsVerificationError> {
        let client = self
            .client()
            .map_err(|e| ClaimsVerificationError::Other(e.to_string()))?;
        id_token.claims(&client.id_token_verifier(), nonce).cloned()
    }

    async fn refresh_keys(&self) -> Result<(), OidcError> {
        let jwks_uri = self.metadata().jwks_uri().clone();
        let keys: CoreJsonWebKeySet = JsonWebKeySet::fetch_async(&jwks_uri, &self.http)
            .await
            .map_err(discovery_error)?;
        tracing::info!(jwks_uri = %jwks_uri.as_str(), "identity provider signing keys refetched");
        let mut metadata = self
            .metadata
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        *metadata = metadata.clone().set_jwks(keys);
        Ok(())
    }

    fn metadata(&self) -> CoreProviderMetadata {
        self.metadata
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn client(&self) -> Result<Client, OidcError> {
        let redirect = RedirectUrl::new(self.config.redirect_url.clone())
            .map_err(|e| OidcError::Misconfigured(format!("redirect URL: {e}")))?;
        Ok(Client::from_provider_metadata(
            self.metadata(),
            ClientId::new(self.config.client_id.clone()),
            self.config.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(redirect))
    }
}

/// `path` if it is a path on this site, else `/`. Rejects scheme-relative (`//evil.example`)
/// and backslash tricks browsers normalise to them.
fn local_path_or_root(path: &str) -> String {
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control);
    if local {
        path.to_owned()
    } else {
        "/".to_owned()
    }
}

fn discovery_error(error: DiscoveryError<TransportError>) -> OidcError {
    match error {
        DiscoveryError::Request(transport) => transport.into(),
        DiscoveryError::Response(status, _, detail) => OidcError::Misconfigured(format!(
            "provider metadata request answered {status}: {detail}"
        )),
        DiscoveryError::Parse(e) => {
            OidcError::Misconfigured(format!("provider metadata cannot be read: {e}"))
        }
        other => OidcError::Misconfigured(format!("provider metadata: {other}")),
    }
}

fn token_error(
    error: RequestTokenError<TransportError, StandardErrorResponse<CoreErrorResponseType>>,
) -> OidcError {
    match error {
        RequestTokenError::ServerResponse(response) => OidcError::ProviderError {
            error: response.error().as_ref().to_owned(),
            description: response.error_description().cloned(),
        },
        RequestTokenError::Request(transport) => transport.into(),
        RequestTokenError::Parse(e, _) => {
            OidcError::Misconfigured(format!("token response cannot be read: {e}"))
        }
        RequestTokenError::Other(detail) => {
            OidcError::Misconfigured(format!("token request: {detail}"))
        }
    }
}

fn describe_claims_error(error: &ClaimsVerificationError) -> String {
    match error {
        ClaimsVerificationError::SignatureVerification(inner) => {
            format!("signature verification failed: {inner}")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_to_must_be_a_local_path() {
        assert_eq!(
            local_path_or_root("/panels/42?tab=images"),
            "/panels/42?tab=images"
        );
        for unsafe_target in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "panels/42",
            "",
            "/a\nb",
        ] {
            assert_eq!(local_path_or_root(unsafe_target), "/", "{unsafe_target:?}");
        }
    }
}
