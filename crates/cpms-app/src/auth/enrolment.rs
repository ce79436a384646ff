//! Enrolling second factors and managing them: the authenticator app (TOTP)
//! and the recovery codes. A person whose password step passed but who has
//! no second factor enrols here before anything else; enrolling completes
//! their sign-in.

use cpms_auth::recovery::generate_recovery_codes;
use cpms_auth::totp::{Totp, TotpSecret, qr_svg};
use cpms_domain::audit::Outcome;
use cpms_domain::session::SessionStage;
use cpms_store::WriteTx;
use cpms_store::repo::{audit, second_factors};
use jiff::SignedDuration;

use super::ceremony::TOTP_ENROLMENT;
use super::session::{SessionToken, not_signed_in};
use crate::{App, AppError, Caller};

/// The name authenticator apps show for our codes.
const TOTP_ISSUER: &str = "ERN-CPMS";
/// Time to scan the code and type the first one.
const ENROLMENT_TIME: SignedDuration = SignedDuration::from_mins(15);

/// What the enrolment page shows: the QR code, the same key for typing in,
/// and the handle that ties the confirmation to this secret.
#[derive(Debug)]
pub struct TotpSetup {
    pub handle: String,
    pub qr_svg: String,
    /// The secret in base32, in groups of four for reading out.
    pub manual_key: String,
}

/// The outcome of an enrolment: new recovery codes to show once (empty when
/// the person already had some), and the token of the complete session when
/// enrolling finished a sign-in.
#[derive(Debug)]
pub struct Enrolled {
    pub recovery_codes: Vec<String>,
    pub session: Option<SessionToken>,
}

/// What the security page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityOverview {
    pub totp: bool,
    pub passkeys: Vec<super::passkeys::PasskeyView>,
    pub recovery_codes_left: usize,
}

impl App {
    /// Starts enrolling an authenticator app (or replacing the current one).
    pub async fn start_totp_enrolment(&self, caller: &Caller) -> Result<TotpSetup, AppError> {
        may_enrol(caller)?;
        let secret = TotpSecret::generate();
        let uri = Totp::default()
            .provisioning_uri(&secret, TOTP_ISSUER, &caller.user.username)
            .map_err(AppError::internal)?;
        let qr_svg = qr_svg(&uri).map_err(AppError::internal)?;
        let key = secret.to_base32();
        let handle = self
            .begin_ceremony(
                TOTP_ENROLMENT,
                Some(caller.user.id),
                key.clone(),
                ENROLMENT_TIME,
            )
            .await?;
        Ok(TotpSetup {
            handle,
            qr_svg,
            manual_key: group(&key),
        })
    }

    /// Confirms the enrolment with a first code from the app. A wrong code
    /// leaves the enrolment open for another try.
    pub async fn finish_totp_enrolment(
        &self,
        caller: &Caller,
        handle: &str,
        code: &str,
    ) -> Result<Enrolled, AppError> {
        may_enrol(caller)?;
        let user = caller.user.id;
        let key = self
            .ceremony_state(handle, TOTP_ENROLMENT, Some(user))
            .await?;
        let secret = TotpSecret::from_base32(&key).map_err(AppError::internal)?;
        let step = Totp::default()
            .verify(&secret, code, self.now(), None)
            .map_err(|_| {
                AppError::invalid(
                    "The code does not match. Check that the app shows ERN-CPMS and type the current code.",
                )
            })?;
        let mut tx = self.store().write().await?;
        self.end_ceremony(&mut tx, handle).await?;
        let replaced = second_factors::totp_of(&mut tx, user).await?.is_some();
        let enrolment = second_factors::TotpEnrolment {
            secret: key,
            last_used_step: Some(step),
        };
        second_factors::set_totp(&mut tx, user, &enrolment, self.now()).await?;
        let detail = if replaced { "totp replaced" } else { "totp" };
        self.audit_factor(&mut tx, caller, "auth.factor_added", detail)
            .await?;
        let enrolled = self.complete_enrolment(&mut tx, caller, "totp").await?;
        tx.commit().await?;
        Ok(enrolled)
    }

    /// After a factor was added: recovery codes when the person has none
    /// yet, and the complete session when this finished a sign-in.
    pub(crate) async fn complete_enrolment(
        &self,
        tx: &mut WriteTx,
        caller: &Caller,
        method: &str,
    ) -> Result<Enrolled, AppError> {
        let recovery_codes = if second_factors::recovery_hashes(tx, caller.user.id)
            .await?
            .is_empty()
        {
            self.issue_recovery_codes(tx, caller).await?
        } else {
            Vec::new()
        };
        let session = self.finish_enrolment_sign_in(tx, caller, method).await?;
        Ok(Enrolled {
            recovery_codes,
            session,
        })
    }

    /// A new set of recovery codes, replacing the old one; shown once.
    pub async fn regenerate_recovery_codes(
        &self,
        caller: &Caller,
    ) -> Result<Vec<String>, AppError> {
        if caller.stage != SessionStage::Full {
            return Err(not_signed_in());
        }
        let mut tx = self.store().write().await?;
        let codes = self.issue_recovery_codes(&mut tx, caller).await?;
        tx.commit().await?;
        Ok(codes)
    }

    pub async fn security_overview(&self, caller: &Caller) -> Result<SecurityOverview, AppError> {
        let mut conn = self.store().read().await?;
        let user = caller.user.id;
        Ok(SecurityOverview {
            totp: second_factors::totp_of(&mut conn, user).await?.is_some(),
            passkeys: self.my_passkeys(caller).await?,
            recovery_codes_left: second_factors::recovery_hashes(&mut conn, user)
                .await?
                .len(),
        })
    }

    async fn issue_recovery_codes(
        &self,
        tx: &mut WriteTx,
        caller: &Caller,
    ) -> Result<Vec<String>, AppError> {
        let set = generate_recovery_codes();
        second_factors::replace_recovery_codes(tx, caller.user.id, &set.hashes, self.now()).await?;
        self.audit_factor(tx, caller, "auth.factor_added", "recovery codes")
            .await?;
        Ok(set.codes)
    }

    /// When the person enrolled in the middle of signing in, the sign-in is
    /// now complete: a full session under a new token.
    async fn finish_enrolment_sign_in(
        &self,
        tx: &mut WriteTx,
        caller: &Caller,
        method: &str,
    ) -> Result<Option<SessionToken>, AppError> {
        if caller.stage != SessionStage::Enrolment {
            return Ok(None);
        }
        let token = self.upgrade_session(tx, caller).await?;
        self.audit_factor(
            tx,
            caller,
            "auth.sign_in",
            &format!("password + {method} (enrolled now)"),
        )
        .await?;
        self.reset_lockout(tx, caller.user.id).await?;
        Ok(Some(token))
    }

    pub(crate) async fn audit_factor(
        &self,
        tx: &mut WriteTx,
        caller: &Caller,
        action: &str,
        detail: &str,
    ) -> Result<(), AppError> {
        let event = caller
            .audit_event(action, format!("user:{}", caller.user.id), Outcome::Success)
            .detail(detail);
        audit::append(tx, event, self.now()).await?;
        Ok(())
    }
}

/// Factors are enrolled by a signed-in person, or by one who must enrol
/// before anything else; never halfway through the second step.
pub(super) fn may_enrol(caller: &Caller) -> Result<(), AppError> {
    match caller.stage {
        SessionStage::Full | SessionStage::Enrolment => Ok(()),
        SessionStage::SecondFactor => Err(not_signed_in()),
    }
}

fn group(key: &str) -> String {
    key.as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}
