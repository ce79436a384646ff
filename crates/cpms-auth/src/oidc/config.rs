//! Relying-party settings for one identity provider.

use std::fmt;
use std::net::IpAddr;

use jiff::SignedDuration;
use serde::{Deserialize, Serialize};
use url::{Host, Url};

use super::OidcError;

/// Settings for signing in through one OpenID provider.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcConfig {
    /// The provider's issuer identifier, e.g. `https://ecas.ec.europa.eu/cas/oauth2`. Must be
    /// `https`, except on a loopback address (tests, local development).
    pub issuer_url: String,
    pub client_id: String,
    /// Secret for `client_secret_basic`; `None` for a public client relying on PKCE alone.
    pub client_secret: Option<String>,
    /// This application's callback URL as registered with the provider.
    pub redirect_url: String,
    /// Scopes requested besides `openid`.
    pub scopes: Vec<String>,
    /// What the provider must have done to authenticate the person.
    pub requirement: AuthenticationRequirement,
    /// Time limit for each request to the provider.
    pub http_timeout: SignedDuration,
}

impl OidcConfig {
    /// Settings with the `email` and `profile` scopes, no authentication requirement and a
    /// 10-second HTTP time limit.
    pub fn new(
        issuer_url: &str,
        client_id: &str,
        client_secret: Option<&str>,
        redirect_url: &str,
    ) -> Self {
        Self {
            issuer_url: issuer_url.to_owned(),
            client_id: client_id.to_owned(),
            client_secret: client_secret.map(str::to_owned),
            redirect_url: redirect_url.to_owned(),
            scopes: vec!["email".to_owned(), "profile".to_owned()],
            requirement: AuthenticationRequirement::default(),
            http_timeout: SignedDuration::from_secs(10),
        }
    }

    /// Checks what can be checked without contacting the provider.
    pub(super) fn validate(&self) -> Result<(), OidcError> {
        let issuer = Url::parse(&self.issuer_url).map_err(|e| {
            OidcError::Misconfigured(format!("issuer URL {:?}: {e}", self.issuer_url))
        })?;
        if !is_secure_or_loopback(&issuer) {
            return Err(OidcError::Misconfigured(format!(
                "issuer URL {} must use https (http is only allowed on loopback addresses)",
                self.issuer_url
            )));
        }
        Url::parse(&self.redirect_url).map_err(|e| {
            OidcError::Misconfigured(format!("redirect URL {:?}: {e}", self.redirect_url))
        })?;
        if self.client_id.is_empty() {
            return Err(OidcError::Misconfigured("the client id is empty".into()));
        }
        if !self.http_timeout.is_positive() {
            return Err(OidcError::Misconfigured(
                "the HTTP timeout must be positive".into(),
            ));
        }
        Ok(())
    }
}

fn is_secure_or_loopback(url: &Url) -> bool {
    match (url.scheme(), url.host()) {
        ("https", Some(_)) => true,
        ("http", Some(Host::Domain(domain))) => domain == "localhost",
        ("http", Some(Host::Ipv4(ip))) => IpAddr::V4(ip).is_loopback(),
        ("http", Some(Host::Ipv6(ip))) => IpAddr::V6(ip).is_loopback(),
        _ => false,
    }
}

impl fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer_url", &self.issuer_url)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("redirect_url", &self.redirect_url)
            .field("scopes", &self.scopes)
            .field("requirement", &self.requirement)
            .field("http_timeout", &self.http_timeout)
            .finish()
    }
}

/// The authentication strength a sign-in must show, typically that a second factor was used.
/// Each list is "any of"; an empty list imposes nothing. When both are set, both must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthenticationRequirement {
    /// Acceptable `acr` values (authentication context class), also requested from the
    /// provider through `acr_values`. EU Login, for example, uses its own URIs for its levels.
    pub acr_any_of: Vec<String>,
    /// Acceptable `amr` values (RFC 8176 methods, e.g. `mfa`, `otp`, `hwk`, `swk`); the ID token
    /// must list at least one of them.
    pub amr_any_of: Vec<String>,
}

impl AuthenticationRequirement {
    /// Whether a sign-in with these `acr` and `amr` claims satisfies the requirement.
    pub fn is_met_by(&self, acr: Option<&str>, amr: &[String]) -> bool {
        let acr_ok = self.acr_any_of.is_empty()
            || acr.is_some_and(|acr| self.acr_any_of.iter().any(|a| a == acr));
        let amr_ok =
            self.amr_any_of.is_empty() || amr.iter().any(|method| self.amr_any_of.contains(method));
        acr_ok && amr_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(issuer: &str) -> OidcConfig {
        OidcConfig::new(
            issuer,
            "cpms",
            Some("s3cret"),
            "https://cpms.example.eu/auth/callback",
        )
    }

    #[test]
    fn issuer_must_be_https_unless_loopback() {
        assert!(config("https://idp.example.eu").validate().is_ok());
        assert!(config("http://127.0.0.1:4444").validate().is_ok());
        assert!(config("http://localhost:4444/realms/x").validate().is_ok());
        assert!(config("http://[::1]:4444").validate().is_ok());
        for bad in [
            "http://idp.example.eu",
            "http://10.0.0.1",
            "ftp://idp",
            "not a url",
        ] {
            assert!(
                matches!(config(bad).validate(), Err(OidcError::Misconfigured(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn other_settings_are_checked() {
        let mut bad = config("https://idp.example.eu");
        bad.redirect_url = "/relative".into();
        assert!(bad.validate().is_err());
        let mut bad = config("https://idp.example.eu");
        bad.client_id.clear();
        assert!(bad.validate().is_err());
        let mut bad = config("https://idp.example.eu");
        bad.http_timeout = SignedDuration::ZERO;
        assert!(bad.validate().is_err());
    }

    #[test]
    fn debug_output_hides_the_client_secret() {
        assert!(!format!("{:?}", config("https://idp.example.eu")).contains("s3cret"));
    }

    #[test]
    fn requirement_lists_are_any_of_and_combine_with_and() {
        let none = AuthenticationRequirement::default();
        assert!(none.is_met_by(None, &[]));

        let amr = AuthenticationRequirement {
            acr_any_of: vec![],
            amr_any_of: vec!["otp".into(), "hwk".into()],
        };
        assert!(amr.is_met_by(None, &["pwd".into(), "hwk".into()]));
        assert!(!amr.is_met_by(Some("high"), &["pwd".into()]));
        assert!(!amr.is_met_by(None, &[]));

        let both = AuthenticationRequirement {
            acr_any_of: vec!["high".into()],
            amr_any_of: vec!["mfa".into()],
        };
        assert!(both.is_met_by(Some("high"), &["mfa".into()]));
        assert!(!both.is_met_by(Some("low"), &["mfa".into()]));
        assert!(!both.is_met_by(Some("high"), &["pwd".into()]));
        assert!(!both.is_met_by(None, &["mfa".into()]));
    }
}
