//! Passkeys (WebAuthn): registering one (at the forced enrolment or on the
//! security page), offering one at the second step, and the person's list
//! of them (rename, remove). The browser half of each ceremony runs in
//! `cpms.js`; the state waits in a ceremony row between the two requests.

use cpms_auth::passkey::{
    AuthenticationState, PasskeyConfig, PasskeyUser, Passkeys, RegistrationState, StoredPasskey,
};
use cpms_store::WriteTx;
use cpms_store::repo::passkeys::{self, PasskeyRow};
use jiff::{SignedDuration, Timestamp};

use super::ceremony::{PASSKEY_REGISTRATION, PASSKEY_SIGN_IN};
use super::enrolment::{Enrolled, may_enrol};
use super::session::not_signed_in;
use crate::{App, AppError, Caller};

/// Name browsers show in their passkey dialogs.
const RP_NAME: &str = "ERN-CPMS";
/// Time for the browser dialog and the person's gesture.
const CEREMONY_TIME: SignedDuration = SignedDuration::from_mins(5);
const LONGEST_NAME: usize = 60;

/// The relying party for passkeys: the host of the origin pages are
/// served from.
pub(crate) fn relying_party(origin: &str) -> Result<Passkeys, AppError> {
    let misconfigured = |why: String| AppError::internal(format!("passkeys: {why}"));
    let url = url::Url::parse(origin).map_err(|e| misconfigured(format!("{origin}: {e}")))?;
    let host = url
        .host_str()
        .ok_or_else(|| misconfigured(format!("{origin} has no host")))?
        .to_owned();
    let origin = url::Url::parse(&url.origin().ascii_serialization())
        .map_err(|e| misconfigured(e.to_string()))?;
    Passkeys::new(&PasskeyConfig::new(&host, origin, RP_NAME))
        .map_err(|e| misconfigured(e.to_string()))
}

/// A started ceremony for the page: the options for the browser (JSON for
/// `navigator.credentials`) and the handle that ties the answer to it.
#[derive(Debug, Clone)]
pub struct PasskeyOffer {
    pub handle: String,
    pub options_json: String,
}

/// A passkey as the security page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyView {
    pub id: String,
    pub name: String,
    pub created: Timestamp,
    pub last_used: Option<Timestamp>,
}

impl From<PasskeyRow> for PasskeyView {
    fn from(row: PasskeyRow) -> Self {
        Self {
            id: row.credential_id,
            name: row.name,
            created: row.created_at,
            last_used: row.last_used_at,
        }
    }
}

const REFUSED: &str = "The passkey could not be set up. Please try again.";

impl App {
    /// Starts registering a passkey for the caller.
    pub async fn start_passkey_registration(
        &self,
        caller: &Caller,
    ) -> Result<PasskeyOffer, AppError> {
        may_enrol(caller)?;
        let existing = self.stored_passkeys_of(caller).await?;
        let user = PasskeyUser {
            id: caller.user.id.as_uuid(),
            name: &caller.user.username,
            display_name: &caller.user.display_name,
        };
        let (options, state) = self
            .passkeys()
            .start_registration(&user, &existing, self.now())
            .map_err(AppError::internal)?;
        self.offer(caller, PASSKEY_REGISTRATION, &options, &state)
            .await
    }

    /// Completes a registration with the browser's answer. Like enrolling
    /// an authenticator app, the first factor brings recovery codes and
    /// completes a sign-in that was waiting for it.
    pub async fn finish_passkey_registration(
        &self,
        caller: &Caller,
        handle: &str,
        response_json: &str,
        name: &str,
    ) -> Result<Enrolled, AppError> {
        may_enrol(caller)?;
        let name = passkey_name(name)?;
        let user = caller.user.id;
        let mut tx = self.store().write().await?;
        let state: RegistrationState = self
            .take_ceremony(&mut tx, handle, PASSKEY_REGISTRATION, Some(user))
            .await?;
        let passkey = self
            .passkeys()
            .finish_registration(&state, response_json, self.now())
            .map_err(|e| {
                tracing::info!(%e, "passkey registration refused");
                AppError::invalid(REFUSED)
            })?;
        let row = PasskeyRow {
            credential_id: passkey.credential_id(),
            user,
            name: name.clone(),
            passkey: passkey.to_json(),
            created_at: self.now(),
            last_used_at: None,
        };
        if !passkeys::insert(&mut tx, &row).await? {
            return Err(AppError::invalid(
                "This passkey is already registered. Use it, or create one on another device.",
            ));
        }
        self.audit_factor(
            &mut tx,
            caller,
            "auth.factor_added",
            &format!("passkey {name:?}"),
        )
        .await?;
        let enrolled = self.complete_enrolment(&mut tx, caller, "passkey").await?;
        tx.commit().await?;
        Ok(enrolled)
    }

    /// At the second step: a challenge for the person's passkeys, or
    /// `None` when they have none.
    pub async fn start_passkey_sign_in(
        &self,
        caller: &Caller,
    ) -> Result<Option<PasskeyOffer>, AppError> {
        if caller.stage != cpms_domain::session::SessionStage::SecondFactor {
            return Err(not_signed_in());
        }
        let existing = self.stored_passkeys_of(caller).await?;
        if existing.is_empty() {
            return Ok(None);
        }
        let (options, state) = self
            .passkeys()
            .start_authentication(&existing, self.now())
            .map_err(AppError::internal)?;
        self.offer(caller, PASSKEY_SIGN_IN, &options, &state)
            .await
            .map(Some)
    }

    /// Checks a passkey answer of the second step inside `tx` and records
    /// the use; `Ok(false)` when the passkey is refused.
    pub(crate) async fn accept_passkey(
        &self,
        tx: &mut WriteTx,
        caller: &Caller,
        handle: &str,
        response_json: &str,
    ) -> Result<bool, AppError> {
        let user = caller.user.id;
        let state: AuthenticationState = self
            .take_ceremony(tx, handle, PASSKEY_SIGN_IN, Some(user))
            .await?;
        let assertion =
            match self
                .passkeys()
                .finish_authentication(&state, response_json, self.now())
            {
                Ok(assertion) => assertion,
                Err(e) => {
                    tracing::info!(%e, "passkey sign-in refused");
                    return Ok(false);
                }
            };
        let used = assertion.credential_id();
        let Some(row) = passkeys::of_user(tx, user)
            .await?
            .into_iter()
            .find(|row| row.credential_id == used)
        else {
            return Ok(false);
        };
        let mut stored = StoredPasskey::from_json(&row.passkey).map_err(AppError::internal)?;
        let changed = stored.apply(&assertion).map_err(AppError::internal)?;
        let json = changed.then(|| stored.to_json());
        passkeys::record_use(tx, &used, json.as_deref(), self.now()).await?;
        Ok(true)
    }

    /// The caller's passkeys, oldest first.
    pub async fn my_passkeys(&self, caller: &Caller) -> Result<Vec<PasskeyView>, AppError> {
        let mut conn = self.store().read().await?;
        let rows = passkeys::of_user(&mut conn, caller.user.id).await?;
        Ok(rows.into_iter().map(PasskeyView::from).collect())
    }

    pub async fn rename_passkey(
        &self,
        caller: &Caller,
        id: &str,
        name: &str,
    ) -> Result<(), AppError> {
        signed_in(caller)?;
        let name = passkey_name(name)?;
        let mut tx = self.store().write().await?;
        if !passkeys::rename(&mut tx, caller.user.id, id, &name).await? {
            return Err(AppError::not_found("That passkey"));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Removes one of the caller's passkeys. Without any second factor left
    /// the next sign-in asks to enrol one again.
    pub async fn remove_passkey(&self, caller: &Caller, id: &str) -> Result<(), AppError> {
        signed_in(caller)?;
        let mut tx = self.store().write().await?;
        let name = passkeys::of_user(&mut tx, caller.user.id)
            .await?
            .into_iter()
            .find(|row| row.credential_id == id)
            .map(|row| row.name)
            .ok_or_else(|| AppError::not_found("That passkey"))?;
        passkeys::delete(&mut tx, caller.user.id, id).await?;
        self.audit_factor(
            &mut tx,
            caller,
            "auth.factor_removed",
            &format!("passkey {name:?}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn stored_passkeys_of(&self, caller: &Caller) -> Result<Vec<StoredPasskey>, AppError> {
        let mut conn = self.store().read().await?;
        passkeys::of_user(&mut conn, caller.user.id)
            .await?
            .iter()
            .map(|row| StoredPasskey::from_json(&row.passkey).map_err(AppError::internal))
            .collect()
    }

    async fn offer<O: serde::Serialize, S: serde::Serialize>(
        &self,
        caller: &Caller,
        kind: &str,
        options: &O,
        state: &S,
    ) -> Result<PasskeyOffer, AppError> {
        let options_json = serde_json::to_string(options).map_err(AppError::internal)?;
        let state = serde_json::to_string(state).map_err(AppError::internal)?;
        let handle = self
            .begin_ceremony(kind, Some(caller.user.id), state, CEREMONY_TIME)
            .await?;
        Ok(PasskeyOffer {
            handle,
            options_json,
        })
    }
}

fn signed_in(caller: &Caller) -> Result<(), AppError> {
    if caller.stage == cpms_domain::session::SessionStage::Full {
        Ok(())
    } else {
        Err(not_signed_in())
    }
}

fn passkey_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > LONGEST_NAME {
        return Err(AppError::invalid(format!(
            "Give the passkey a name of 1 to {LONGEST_NAME} characters, e.g. \"Work laptop\"."
        )));
    }
    Ok(name.to_owned())
}
