//! The second step of a sign-in: a passkey, a code from the authenticator
//! app or a recovery code, after the password. Success replaces the half-done session
//! with a complete one under a new token.

use cpms_auth::recovery::verify_recovery_code;
use cpms_auth::throttle::AttemptKind;
use cpms_auth::totp::{Totp, TotpError, TotpSecret};
use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::session::SessionStage;
use cpms_store::WriteTx;
use cpms_store::repo::{audit, second_factors, sessions};

use super::session::{SessionToken, not_signed_in};
use crate::{App, AppError, Caller, ErrorCode};

/// What the person typed at the second step.
#[derive(Debug, Clone, Copy)]
pub enum SecondFactor<'a> {
    Totp(&'a str),
    RecoveryCode(&'a str),
    /// The browser's answer to the challenge started under `handle`.
    Passkey {
        handle: &'a str,
        response: &'a str,
    },
}

impl SecondFactor<'_> {
    fn attempt_kind(self) -> AttemptKind {
        match self {
            Self::Totp(_) | Self::Passkey { .. } => AttemptKind::Totp,
            Self::RecoveryCode(_) => AttemptKind::Recovery,
        }
    }

    fn method(self) -> &'static str {
        match self {
            Self::Totp(_) => "totp",
            Self::RecoveryCode(_) => "recovery code",
            Self::Passkey { .. } => "passkey",
        }
    }
}

/// Why a presented factor was refused; `reason` goes to the audit log.
struct Refusal {
    reason: &'static str,
    message: &'static str,
}

const WRONG_CODE: Refusal = Refusal {
    reason: "wrong code",
    message: "The code is not correct.",
};
const REPLAYED_CODE: Refusal = Refusal {
    reason: "code already used",
    message: "This code has already been used. Please wait for the next code from your app.",
};
const PASSKEY_REFUSED: Refusal = Refusal {
    reason: "passkey refused",
    message: "The passkey was not accepted. Please try again, or use a code.",
};
const NO_TOTP: Refusal = Refusal {
    reason: "no authenticator app enrolled",
    message: "The code is not correct.",
};

impl App {
    /// Checks the second factor of a half-done sign-in and, when it holds,
    /// returns the token of the complete session that replaces it.
    pub async fn complete_sign_in(
        &self,
        caller: &Caller,
        factor: SecondFactor<'_>,
    ) -> Result<SessionToken, AppError> {
        if caller.stage != SessionStage::SecondFactor {
            return Err(not_signed_in());
        }
        self.check_rate(factor.attempt_kind(), &caller.client)?;
        let user = caller.user.id;
        self.check_lockout(user).await?;
        let mut tx = self.store().write().await?;
        if let Err(refusal) = self.accept_factor(&mut tx, caller, factor).await? {
            drop(tx);
            self.record_failure(user).await?;
            let why = format!("{}: {}", factor.method(), refusal.reason);
            self.audit_sign_in(
                Some(user),
                &caller.user.username,
                &caller.client,
                Outcome::Failure,
                &why,
            )
            .await?;
            return Err(AppError::new(
                ErrorCode::InvalidCredentials,
                refusal.message,
            ));
        }
        let token = self.upgrade_session(&mut tx, caller).await?;
        let event = NewEvent::new("auth.sign_in", format!("user:{user}"), Outcome::Success)
            .by(user)
            .from_addr(caller.client.addr.clone())
            .detail(format!("password + {}", factor.method()));
        audit::append(&mut tx, event, self.now()).await?;
        self.reset_lockout(&mut tx, user).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Verifies the factor and uses it up (a TOTP step, a recovery code) in
    /// `tx`, so that it cannot serve twice even when requests race.
    async fn accept_factor(
        &self,
        tx: &mut WriteTx,
        caller: &Caller,
        factor: SecondFactor<'_>,
    ) -> Result<Result<(), Refusal>, AppError> {
        let user = caller.user.id;
        match factor {
            SecondFactor::Passkey { handle, response } => {
                let accepted = self.accept_passkey(tx, caller, handle, response).await?;
                Ok(if accepted {
                    Ok(())
                } else {
                    Err(PASSKEY_REFUSED)
                })
            }
            SecondFactor::Totp(code) => {
                let Some(enrolment) = second_factors::totp_of(tx, user).await? else {
                    return Ok(Err(NO_TOTP));
                };
                let secret =
                    TotpSecret::from_base32(&enrolment.secret).map_err(AppError::internal)?;
                let step = match Totp::default().verify(
                    &secret,
                    code,
                    self.now(),
                    enrolment.last_used_step,
                ) {
                    Ok(step) => step,
                    Err(TotpError::Replayed) => return Ok(Err(REPLAYED_CODE)),
                    Err(_) => return Ok(Err(WRONG_CODE)),
                };
                Ok(if second_factors::use_totp_step(tx, user, step).await? {
                    Ok(())
                } else {
                    Err(REPLAYED_CODE)
                })
            }
            SecondFactor::RecoveryCode(code) => {
                let hashes = second_factors::recovery_hashes(tx, user).await?;
                let Some(index) = verify_recovery_code(code, &hashes) else {
                    return Ok(Err(WRONG_CODE));
                };
                Ok(
                    if second_factors::use_recovery_code(tx, user, &hashes[index]).await? {
                        Ok(())
                    } else {
                        Err(REPLAYED_CODE)
                    },
                )
            }
        }
    }

    /// Replaces the caller's half-done session by a complete one with a new
    /// id and token (the old cookie value opens nothing any more).
    pub(crate) async fn upgrade_session(
        &self,
        tx: &mut WriteTx,
        caller: &Caller,
    ) -> Result<SessionToken, AppError> {
        sessions::delete(tx, caller.session).await?;
        self.open_session(tx, caller.user.id, &caller.client, SessionStage::Full)
            .await
    }
}
