#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
//! Passkey ceremonies end to end against a software authenticator, with every value that would
//! cross the network or sit in a session row passed through JSON on the way.

use cpms_auth::passkey::{
    AuthenticationState, PasskeyAssertion, PasskeyConfig, PasskeyError, PasskeyUser, Passkeys,
    RegistrationState, StoredPasskey,
};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;
use uuid::Uuid;
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;

const ORIGIN: &str = "http://localhost:8080";

fn origin() -> Url {
    Url::parse(ORIGIN).unwrap()
}

fn passkeys() -> Passkeys {
    Passkeys::new(&PasskeyConfig::new("localhost", origin(), "ERN-CPMS test")).unwrap()
}

/// A software passkey that reports user verification, as a phone or security key with a PIN
/// would.
fn authenticator() -> SoftPasskey {
    SoftPasskey::new(true)
}

fn now() -> Timestamp {
    Timestamp::now()
}

/// Serialises and reads back, as storing in a session row or sending to a browser does.
fn through_json<T: Serialize + DeserializeOwned>(value: &T) -> T {
    serde_json::from_str(&serde_json::to_string(value).unwrap()).unwrap()
}

fn user(id: Uuid) -> PasskeyUser<'static> {
    PasskeyUser {
        id,
        name: "anna.muller@example.eu",
        display_name: "Anna Müller",
    }
}

fn register(passkeys: &Passkeys, authenticator: &mut SoftPasskey, user_id: Uuid) -> StoredPasskey {
    let (options, state) = passkeys
        .start_registration(&user(user_id), &[], now())
        .unwrap();
    let state: RegistrationState = through_json(&state);
    let response = authenticator
        .do_registration(origin(), through_json(&options))
        .unwrap();
    let response_json = serde_json::to_string(&response).unwrap();
    let stored = passkeys
        .finish_registration(&state, &response_json, now())
        .unwrap();
    StoredPasskey::from_json(&stored.to_json()).unwrap()
}

/// Starts a sign-in and lets the authenticator answer; returns the stored state and the JSON
/// response.
fn sign_in_response(
    passkeys: &Passkeys,
    authenticator: &mut SoftPasskey,
    stored: &[StoredPasskey],
) -> (AuthenticationState, String) {
    let (options, state) = passkeys.start_authentication(stored, now()).unwrap();
    let response = authenticator
        .do_authentication(origin(), through_json(&options))
        .unwrap();
    (
        through_json(&state),
        serde_json::to_string(&response).unwrap(),
    )
}

/// A whole sign-in with `stored` as the account's passkeys.
fn sign_in(
    passkeys: &Passkeys,
    authenticator: &mut SoftPasskey,
    stored: &[StoredPasskey],
) -> Result<PasskeyAssertion, PasskeyError> {
    let (state, response) = sign_in_response(passkeys, authenticator, stored);
    passkeys.finish_authentication(&state, &response, now())
}

#[test]
fn registers_and_signs_in_with_a_passkey() {
    let passkeys = passkeys();
    let mut authenticator = authenticator();
    let mut stored = register(&passkeys, &mut authenticator, Uuid::now_v7());

    let assertion = sign_in(&passkeys, &mut authenticator, std::slice::from_ref(&stored)).unwrap();
    assert_eq!(assertion.credential_id(), stored.credential_id());
    assert!(assertion.user_verified());

    // The counter moved on, so the stored passkey changed once and must be saved.
    let before = stored.to_json();
    assert!(stored.apply(&assertion).unwrap());
    assert_ne!(stored.to_json(), before);
    assert!(!stored.apply(&assertion).unwrap());
}

#[test]
fn registration_options_exclude_existing_passkeys_and_ask_for_a_discoverable_one() {
    let passkeys = passkeys();
    let user_id = Uuid::now_v7();
    let existing = register(&passkeys, &mut authenticator(), user_id);
    let (options, _) = passkeys
        .start_registration(&user(user_id), std::slice::from_ref(&existing), now())
        .unwrap();
    let json = serde_json::to_value(&options).unwrap();
    let excluded = &json["publicKey"]["excludeCredentials"];
    assert_eq!(excluded[0]["id"], existing.credential_id(), "{json}");
    assert_eq!(
        json["publicKey"]["authenticatorSelection"]["residentKey"],
        "preferred"
    );
    assert_eq!(
        json["publicKey"]["authenticatorSelection"]["userVerification"],
        "required"
    );
}

#[test]
fn a_response_to_another_challenge_is_refused() {
    let passkeys = passkeys();
    let mut authenticator = authenticator();
    let stored = register(&passkeys, &mut authenticator, Uuid::now_v7());
    let (first_state, _) =
        sign_in_response(&passkeys, &mut authenticator, std::slice::from_ref(&stored));
    let (_, second_response) = sign_in_response(&passkeys, &mut authenticator, &[stored]);
    assert_eq!(
        passkeys
            .finish_authentication(&first_state, &second_response, now())
            .unwrap_err(),
        PasskeyError::ChallengeMismatch
    );
}

#[test]
fn a_response_made_for_another_origin_is_refused() {
    let passkeys = passkeys();
    let mut authenticator = authenticator();
    let stored = register(&passkeys, &mut authenticator, Uuid::now_v7());
    let (options, state) = passkeys.start_authentication(&[stored], now()).unwrap();
    let elsewhere = Url::parse("http://localhost:9999").unwrap();
    let response = authenticator.do_authentication(elsewhere, options).unwrap();
    let response = serde_json::to_string(&response).unwrap();
    assert_eq!(
        passkeys
            .finish_authentication(&state, &response, now())
            .unwrap_err(),
        PasskeyError::WrongOrigin
    );
}

#[test]
fn a_ceremony_finished_too_late_is_refused() {
    let passkeys = passkeys();
    let mut authenticator = authenticator();
    let started = now();
    let (options, state) = passkeys
        .start_registration(&user(Uuid::now_v7()), &[], started)
        .unwrap();
    let response = authenticator.do_registration(origin(), options).unwrap();
    let response = serde_json::to_string(&response).unwrap();
    let late = started + SignedDuration::from_mins(6);
    assert_eq!(
        passkeys
            .finish_registration(&state, &response, late)
            .unwrap_err(),
        PasskeyError::CeremonyExpired
    );
    // The same response within the time limit is fine.
    assert!(
        passkeys
            .finish_registration(&state, &response, started)
            .is_ok()
    );
}

#[test]
fn malformed_responses_and_stored_values_are_specific_errors() {
    let passkeys = passkeys();
    let (_, state) = passkeys
        .start_registration(&user(Uuid::now_v7()), &[], now())
        .unwrap();
    assert!(matches!(
        passkeys.finish_registration(&state, "{\"id\": 42}", now()),
        Err(PasskeyError::MalformedResponse(_))
    ));
    assert!(matches!(
        StoredPasskey::from_json("{\"cred\": null}"),
        Err(PasskeyError::MalformedStoredPasskey(_))
    ));
}

#[test]
fn signing_in_without_passkeys_is_refused_up_front() {
    assert_eq!(
        passkeys().start_authentication(&[], now()).unwrap_err(),
        PasskeyError::NoCredentials
    );
}

#[test]
fn an_assertion_only_updates_its_own_passkey() {
    let passkeys = passkeys();
    let mut first_authenticator = authenticator();
    let first = register(&passkeys, &mut first_authenticator, Uuid::now_v7());
    let mut other = register(&passkeys, &mut authenticator(), Uuid::now_v7());
    let assertion = sign_in(&passkeys, &mut first_authenticator, &[first]).unwrap();
    assert_eq!(
        other.apply(&assertion).unwrap_err(),
        PasskeyError::UnknownCredential
    );
}

#[test]
fn usernameless_sign_in_needs_a_user_handle() {
    let passkeys = passkeys();
    let (options, _) = passkeys.start_discoverable_authentication(now()).unwrap();
    let json = serde_json::to_value(&options).unwrap();
    assert_eq!(json["mediation"], "conditional", "{json}");
    assert!(
        json["publicKey"]["allowCredentials"]
            .as_array()
            .is_none_or(Vec::is_empty)
    );

    // The software authenticator only makes non-discoverable credentials, whose assertions
    // carry no user handle: such a response cannot identify an account.
    let mut authenticator = authenticator();
    let stored = register(&passkeys, &mut authenticator, Uuid::now_v7());
    let (_, response) = sign_in_response(&passkeys, &mut authenticator, &[stored]);
    assert!(matches!(
        passkeys.identify_discoverable(&response),
        Err(PasskeyError::MalformedResponse(_))
    ));
}

#[test]
fn origin_outside_the_relying_party_domain_is_a_configuration_error() {
    let config = PasskeyConfig::new("cpms.example.eu", origin(), "ERN-CPMS");
    assert!(matches!(
        Passkeys::new(&config),
        Err(PasskeyError::Misconfigured(_))
    ));
    let mut config = PasskeyConfig::new("localhost", origin(), "ERN-CPMS");
    config.ceremony_timeout = SignedDuration::ZERO;
    assert!(matches!(
        Passkeys::new(&config),
        Err(PasskeyError::Misconfigured(_))
    ));
}

#[test]
fn a_signature_counter_that_went_backwards_is_refused() {
    let passkeys = passkeys();
    let mut authenticator = authenticator();
    let mut stored = register(&passkeys, &mut authenticator, Uuid::now_v7());

    let assertion = sign_in(&passkeys, &mut authenticator, std::slice::from_ref(&stored)).unwrap();
    assert!(
        assertion.counter() > 0,
        "the software authenticator keeps a counter"
    );
    assert!(stored.apply(&assertion).unwrap());

    // Pretend the stored passkey has seen many more signatures than this authenticator has
    // made: its next answer then looks like it comes from a clone.
    let mut json: serde_json::Value = serde_json::from_str(&stored.to_json()).unwrap();
    json["cred"]["counter"] = 1000.into();
    let ahead = StoredPasskey::from_json(&json.to_string()).unwrap();
    assert_eq!(
        sign_in(&passkeys, &mut authenticator, &[ahead]).unwrap_err(),
        PasskeyError::PossibleClone
    );
}
