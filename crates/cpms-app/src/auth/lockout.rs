//! The per-account lockout with back-off (rules in `cpms_auth::throttle`),
//! over every step that guesses a secret: password, TOTP and recovery codes.

use cpms_auth::throttle::{AccountLockout, LockoutPolicy};
use cpms_domain::ids::UserId;
use cpms_store::WriteTx;
use cpms_store::repo::lockouts::{self, Lockout};

use crate::{App, AppError, ErrorCode};

impl App {
    /// Refuses before any secret is checked while the account is locked, so
    /// guesses made during a lock reveal nothing.
    pub(crate) async fn check_lockout(&self, user: UserId) -> Result<(), AppError> {
        let mut conn = self.store().read().await?;
        let stored = lockouts::get(&mut conn, user).await?;
        to_rules(stored).check(self.now()).map_err(|_| locked())
    }

    /// Counts a failed attempt, which may lock the account.
    pub(crate) async fn record_failure(&self, user: UserId) -> Result<(), AppError> {
        let mut tx = self.store().write().await?;
        let mut rules = to_rules(lockouts::get(&mut tx, user).await?);
        rules.record_failure(&LockoutPolicy::default(), self.now());
        lockouts::set(&mut tx, user, &from_rules(rules)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A complete sign-in starts the failure history over.
    pub(crate) async fn reset_lockout(
        &self,
        tx: &mut WriteTx,
        user: UserId,
    ) -> Result<(), AppError> {
        lockouts::set(tx, user, &Lockout::default()).await?;
        Ok(())
    }
}

pub(crate) fn locked() -> AppError {
    AppError::new(
        ErrorCode::TooManyAttempts,
        "Too many failed attempts. Please wait a few minutes and try again.",
    )
}

fn to_rules(stored: Lockout) -> AccountLockout {
    AccountLockout {
        consecutive_failures: stored.consecutive_failures,
        last_failure: stored.last_failure,
        locked_until: stored.locked_until,
    }
}

fn from_rules(rules: AccountLockout) -> Lockout {
    Lockout {
        consecutive_failures: rules.consecutive_failures,
        last_failure: rules.last_failure,
        locked_until: rules.locked_until,
    }
}
