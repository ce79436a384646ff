#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
//! The OpenID Connect relying party against a real provider (Node `oidc-provider`) on loopback.

mod browser;
mod provider;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use cpms_auth::oidc::{
    AuthenticationRequirement, OidcCallback, OidcConfig, OidcError, OidcIdentity, OidcRelyingParty,
};
use jiff::SignedDuration;
use provider::{CLIENT_ID, CLIENT_SECRET, Mode, Options, PASSWORD, REDIRECT_URI, TestProvider};
use sha2::{Digest, Sha256};
use url::Url;

fn config(issuer: &str) -> OidcConfig {
    OidcConfig::new(issuer, CLIENT_ID, Some(CLIENT_SECRET), REDIRECT_URI)
}

async fn relying_party(
    provider: &TestProvider,
    requirement: AuthenticationRequirement,
) -> OidcRelyingParty {
    let mut config = config(&provider.issuer);
    config.requirement = requirement;
    OidcRelyingParty::discover(config).await.unwrap()
}

/// The provider's subject for a username (see `subjectFor` in provider.mjs).
fn subject_for(username: &str) -> String {
    hex::encode(Sha256::digest(username.as_bytes()))[..32].to_owned()
}

#[tokio::test]
async fn signs_in_and_identifies_the_person_by_issuer_and_subject() {
    let provider = TestProvider::start(Options {
        acr: Some("urn:cpms:test:mfa"),
        amr: Some("pwd,otp"),
        ..Options::default()
    });
    let requirement = AuthenticationRequirement {
        acr_any_of: vec!["urn:cpms:test:mfa".into()],
        amr_any_of: vec!["otp".into()],
    };
    let party = relying_party(&provider, requirement).await;
    let (url, flow) = party.begin("/panels/42").unwrap();

    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(param("code_challenge_method"), Some("S256"));
    assert_eq!(param("state"), Some(flow.state.as_str()));
    assert_eq!(param("nonce"), Some(flow.nonce.as_str()));
    assert_eq!(param("acr_values"), Some("urn:cpms:test:mfa"));
    assert!(param("code_challenge").is_some_and(|c| c != flow.pkce_verifier));
    assert_eq!(flow.return_to, "/panels/42");

    let callback = browser::sign_in(url, "anna.muller", PASSWORD).await;
    let identity = party.complete(&flow, &callback).await.unwrap();
    assert_eq!(identity.issuer, provider.issuer);
    assert_eq!(identity.subject, subject_for("anna.muller"));
    assert_eq!(
        identity.key(),
        (
            provider.issuer.as_str(),
            subject_for("anna.muller").as_str()
        )
    );
    assert_eq!(
        identity.email.as_deref(),
        Some(format!("{}@provider.test", identity.subject).as_str())
    );
    assert_eq!(identity.acr.as_deref(), Some("urn:cpms:test:mfa"));
    assert_eq!(identity.amr, ["pwd", "otp"]);
    assert!(identity.authenticated_at.is_some());

    // The code is single use: completing the same callback again fails at the provider.
    let again = party.complete(&flow, &callback).await.unwrap_err();
    assert!(
        matches!(again, OidcError::ProviderError { ref error, .. } if error == "invalid_grant"),
        "{again:?}"
    );
}

#[tokio::test]
async fn new_signing_keys_are_fetched_when_the_provider_rotates_them() {
    let provider = TestProvider::start(Options::default());
    let party = relying_party(&provider, AuthenticationRequirement::default()).await;
    let port = Url::parse(&provider.issuer).unwrap().port().unwrap();
    // A restarted provider on the same address signs with a newly generated key.
    drop(provider);
    let restarted = TestProvider::start(Options {
        port: Some(port),
        ..Options::default()
    });
    let (url, flow) = party.begin("/").unwrap();
    let callback = browser::sign_in(url, "anna", PASSWORD).await;
    let identity = party.complete(&flow, &callback).await.unwrap();
    assert_eq!(identity.issuer, restarted.issuer);
}

#[tokio::test]
async fn a_callback_with_another_state_is_refused() {
    let provider = TestProvider::start(Options::default());
    let party = relying_party(&provider, AuthenticationRequirement::default()).await;
    let (url, flow) = party.begin("/").unwrap();
    let mut callback = browser::sign_in(url, "anna", PASSWORD).await;
    callback.state = Some(format!("{}x", flow.state));
    assert_eq!(
        party.complete(&flow, &callback).await,
        Err(OidcError::StateMismatch)
    );
    callback.state = None;
    assert_eq!(
        party.complete(&flow, &callback).await,
        Err(OidcError::StateMismatch)
    );
    // A callback started by another sign-in does not complete this one either.
    let (_, other_flow) = party.begin("/").unwrap();
    callback.state = Some(flow.state.clone());
    assert_eq!(
        party.complete(&other_flow, &callback).await,
        Err(OidcError::StateMismatch)
    );
}

#[tokio::test]
async fn a_tampered_nonce_or_pkce_verifier_is_refused() {
    let provider = TestProvider::start(Options::default());
    let party = relying_party(&provider, AuthenticationRequirement::default()).await;

    let (url, flow) = party.begin("/").unwrap();
    let callback = browser::sign_in(url, "anna", PASSWORD).await;
    let mut wrong_nonce = flow.clone();
    wrong_nonce.nonce.push('x');
    let error = party.complete(&wrong_nonce, &callback).await.unwrap_err();
    assert!(
        matches!(error, OidcError::InvalidIdToken(ref d) if d.to_lowercase().contains("nonce")),
        "{error:?}"
    );

    let (url, flow) = party.begin("/").unwrap();
    let callback = browser::sign_in(url, "anna", PASSWORD).await;
    let mut wrong_verifier = flow.clone();
    wrong_verifier.pkce_verifier = flow.pkce_verifier.chars().rev().collect();
    let error = party
        .complete(&wrong_verifier, &callback)
        .await
        .unwrap_err();
    assert!(
        matches!(error, OidcError::ProviderError { ref error, .. } if error == "invalid_grant"),
        "{error:?}"
    );
}

/// Starts a provider, signs in as "anna" through a relying party with `requirement`, and
/// returns the outcome.
async fn sign_in_outcome(
    options: Options<'_>,
    requirement: AuthenticationRequirement,
) -> Result<OidcIdentity, OidcError> {
    let provider = TestProvider::start(options);
    let party = relying_party(&provider, requirement).await;
    let (url, flow) = party.begin("/").unwrap();
    let callback = browser::sign_in(url, "anna", PASSWORD).await;
    party.complete(&flow, &callback).await
}

#[tokio::test]
async fn an_id_token_with_a_bad_signature_is_refused() {
    let options = Options {
        mode: Mode::BadSignature,
        ..Options::default()
    };
    let error = sign_in_outcome(options, AuthenticationRequirement::default())
        .await
        .unwrap_err();
    assert!(
        matches!(error, OidcError::InvalidIdToken(ref d) if d.contains("signature")),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_id_token_for_another_client_is_refused() {
    let options = Options {
        mode: Mode::WrongAudience,
        ..Options::default()
    };
    let error = sign_in_outcome(options, AuthenticationRequirement::default())
        .await
        .unwrap_err();
    assert!(
        matches!(error, OidcError::InvalidIdToken(ref d) if d.to_lowercase().contains("audience")),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_sign_in_without_the_required_acr_is_refused() {
    let options = Options {
        acr: Some("urn:cpms:test:password-only"),
        amr: Some("pwd"),
        ..Options::default()
    };
    let requirement = AuthenticationRequirement {
        acr_any_of: vec!["urn:cpms:test:mfa".into()],
        amr_any_of: vec![],
    };
    assert_eq!(
        sign_in_outcome(options, requirement).await,
        Err(OidcError::InsufficientAuthentication {
            acr: Some("urn:cpms:test:password-only".into()),
            amr: vec!["pwd".into()],
        })
    );
}

#[tokio::test]
async fn a_sign_in_without_a_second_factor_method_is_refused() {
    let options = Options {
        amr: Some("pwd"),
        ..Options::default()
    };
    let second_factor = AuthenticationRequirement {
        acr_any_of: vec![],
        amr_any_of: vec!["otp".into(), "hwk".into()],
    };
    let error = sign_in_outcome(options, second_factor).await.unwrap_err();
    assert!(
        matches!(error, OidcError::InsufficientAuthentication { ref amr, .. } if amr == &["pwd"]),
        "{error:?}"
    );
    // The same provider behaviour passes when no second factor is required.
    let options = Options {
        amr: Some("pwd"),
        ..Options::default()
    };
    assert!(
        sign_in_outcome(options, AuthenticationRequirement::default())
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn errors_reported_on_the_callback_are_passed_on() {
    let provider = TestProvider::start(Options::default());
    let party = relying_party(&provider, AuthenticationRequirement::default()).await;
    let (_, flow) = party.begin("/").unwrap();
    let callback = OidcCallback {
        state: Some(flow.state.clone()),
        error: Some("access_denied".into()),
        error_description: Some("the person cancelled".into()),
        ..OidcCallback::default()
    };
    assert_eq!(
        party.complete(&flow, &callback).await,
        Err(OidcError::ProviderError {
            error: "access_denied".into(),
            description: Some("the person cancelled".into()),
        })
    );
    let foreign_issuer = OidcCallback {
        state: Some(flow.state.clone()),
        code: Some("abc".into()),
        iss: Some("https://elsewhere.example".into()),
        ..OidcCallback::default()
    };
    assert_eq!(
        party.complete(&flow, &foreign_issuer).await,
        Err(OidcError::IssuerMismatch)
    );
}

#[tokio::test]
async fn a_provider_that_is_down_is_reported_quickly() {
    // Take a free port and close it again, so nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let started = Instant::now();
    let error = OidcRelyingParty::discover(config(&format!("http://127.0.0.1:{port}")))
        .await
        .unwrap_err();
    assert!(
        matches!(error, OidcError::ProviderUnreachable(_)),
        "{error:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_provider_that_hangs_times_out() {
    // Accepts connections but never answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut config = config(&format!("http://127.0.0.1:{port}"));
    config.http_timeout = SignedDuration::from_millis(500);
    let started = Instant::now();
    let error = OidcRelyingParty::discover(config).await.unwrap_err();
    assert!(
        matches!(error, OidcError::ProviderUnreachable(_)),
        "{error:?}"
    );
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(500) && elapsed < Duration::from_secs(3),
        "took {elapsed:?}"
    );
    drop(listener);
}

#[tokio::test]
async fn a_wrong_issuer_url_is_a_configuration_error() {
    let provider = TestProvider::start(Options::default());
    let error = OidcRelyingParty::discover(config(&format!("{}/not-here", provider.issuer)))
        .await
        .unwrap_err();
    assert!(matches!(error, OidcError::Misconfigured(_)), "{error:?}");
}
