//! What administrators (and, for second factors, coordinators) do to other
//! people's accounts: suspend them, and reset their second factors after a
//! lost device. Both end every session of the account at once.

use cpms_domain::audit::Outcome;
use cpms_domain::org::ErnCode;
use cpms_domain::policy::{Action, Resource};
use cpms_domain::user::{AccountStatus, User, parse_username};
use cpms_store::repo::{audit, memberships, passkeys, second_factors, sessions, users};

use crate::{App, AppError, Caller};

/// An account as the administration page shows it.
#[derive(Debug, Clone)]
pub struct AccountSummary {
    pub user: User,
    pub erns: Vec<ErnCode>,
    pub has_totp: bool,
    pub passkeys: usize,
    pub recovery_codes_left: usize,
}

impl App {
    /// The account behind a user name, for those who may act on it.
    pub async fn account_summary(
        &self,
        caller: &Caller,
        username: &str,
    ) -> Result<AccountSummary, AppError> {
        let (user, erns, _) = self
            .authorized_account(caller, username, Action::ResetSecondFactor)
            .await?;
        let mut conn = self.store().read().await?;
        Ok(AccountSummary {
            has_totp: second_factors::totp_of(&mut conn, user.id).await?.is_some(),
            passkeys: passkeys::of_user(&mut conn, user.id).await?.len(),
            recovery_codes_left: second_factors::recovery_hashes(&mut conn, user.id)
                .await?
                .len(),
            user,
            erns,
        })
    }

    /// Suspends an account: no sign-in, and its sessions end now.
    pub async fn suspend_account(&self, caller: &Caller, username: &str) -> Result<(), AppError> {
        let (user, _, target) = self
            .authorized_account(caller, username, Action::SuspendAccount)
            .await?;
        let mut tx = self.store().write().await?;
        users::set_status(&mut tx, user.id, AccountStatus::Suspended).await?;
        let ended = sessions::delete_for_user(&mut tx, user.id).await?;
        let event = caller
            .audit_event("account.suspended", target, Outcome::Success)
            .detail(format!("{ended} sessions ended"));
        audit::append(&mut tx, event, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes the person's passkeys, authenticator app and recovery codes,
    /// so their next sign-in enrols new ones, and ends their sessions.
    pub async fn reset_second_factor(
        &self,
        caller: &Caller,
        username: &str,
    ) -> Result<(), AppError> {
        let (user, _, target) = self
            .authorized_account(caller, username, Action::ResetSecondFactor)
            .await?;
        let mut tx = self.store().write().await?;
        second_factors::delete_totp(&mut tx, user.id).await?;
        second_factors::delete_recovery_codes(&mut tx, user.id).await?;
        passkeys::delete_for_user(&mut tx, user.id).await?;
        let ended = sessions::delete_for_user(&mut tx, user.id).await?;
        let event = caller
            .audit_event("auth.second_factor_reset", target, Outcome::Success)
            .detail(format!("{ended} sessions ended"));
        audit::append(&mut tx, event, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The account behind a user name, its networks and its audit target,
    /// once the policy lets the caller do `action` to it.
    async fn authorized_account(
        &self,
        caller: &Caller,
        username: &str,
        action: Action,
    ) -> Result<(User, Vec<ErnCode>, String), AppError> {
        let (user, erns) = self.load_account(username).await?;
        let target = format!("user:{}", user.id);
        self.authorize(caller, action, Resource::Person { erns: &erns }, &target)
            .await?;
        Ok((user, erns, target))
    }

    /// The user and the networks they are a member of.
    async fn load_account(&self, username: &str) -> Result<(User, Vec<ErnCode>), AppError> {
        let username = parse_username(username)?;
        let mut conn = self.store().read().await?;
        let (user, _) = users::find_by_username(&mut conn, &username)
            .await?
            .ok_or_else(|| AppError::not_found(format!("The account '{username}'")))?;
        let mut erns: Vec<ErnCode> = Vec::new();
        for membership in memberships::of_user(&mut conn, user.id).await? {
            if !erns.contains(&membership.ern) {
                erns.push(membership.ern);
            }
        }
        Ok((user, erns))
    }
}
