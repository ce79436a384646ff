use cpms_auth::throttle::AttemptKind;
use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::ids::UserId;
use cpms_domain::session::SessionStage;
use cpms_domain::user::{AccountStatus, User, parse_username};
use cpms_store::repo::{audit, passkeys, second_factors, users};

use super::session::SessionToken;
use crate::{App, AppError, ClientInfo, ErrorCode};

/// A new session: the token goes into the cookie; `stage` says whether the
/// sign-in is complete or which step comes next.
#[derive(Debug)]
pub struct SignedIn {
    pub token: SessionToken,
    pub username: String,
    pub stage: SessionStage,
}

const BAD_CREDENTIALS: &str = "The user name or password is not correct.";

impl App {
    /// Signs in with user name and password. Unknown user and wrong
    /// password give the same answer after the same work; every attempt is
    /// audited.
    pub async fn sign_in_with_password(
        &self,
        username: &str,
        password: &str,
        client: ClientInfo,
    ) -> Result<SignedIn, AppError> {
        self.check_rate(AttemptKind::SignIn, &client)?;
        let Ok(username) = parse_username(username) else {
            self.verify_in_background(password, None).await?;
            return self
                .refuse(None, username, client, "malformed user name")
                .await;
        };
        let mut conn = self.store().read().await?;
        let found = users::find_by_username(&mut conn, &username).await?;
        drop(conn);
        let Some((user, stored_hash)) = found else {
            self.verify_in_background(password, None).await?;
            return self.refuse(None, &username, client, "unknown user").await;
        };
        if let Err(locked) = self.check_lockout(user.id).await {
            self.verify_in_background(password, None).await?;
            self.audit_sign_in(
                Some(user.id),
                &username,
                &client,
                Outcome::Denied,
                "password: account locked",
            )
            .await?;
            return Err(locked);
        }
        let matches = self.verify_in_background(password, stored_hash).await?;
        if !matches {
            self.record_failure(user.id).await?;
            return self
                .refuse(Some(user.id), &username, client, "wrong password")
                .await;
        }
        if user.status == AccountStatus::Suspended {
            self.audit_sign_in(
                Some(user.id),
                &username,
                &client,
                Outcome::Denied,
                "password: account suspended",
            )
            .await?;
            return Err(AppError::new(
                ErrorCode::AccountSuspended,
                "This account is suspended. Please contact your ERN coordinator.",
            ));
        }
        let stage = self.stage_after_password(&user).await?;
        let mut tx = self.store().write().await?;
        let token = self.open_session(&mut tx, user.id, &client, stage).await?;
        let detail = match stage {
            SessionStage::Full => "password",
            SessionStage::SecondFactor => "password; second factor required",
            SessionStage::Enrolment => "password; second factor to be enrolled",
        };
        let action = match stage {
            SessionStage::Full => "auth.sign_in",
            SessionStage::SecondFactor | SessionStage::Enrolment => "auth.first_factor",
        };
        let event = NewEvent::new(action, format!("user:{}", user.id), Outcome::Success)
            .by(user.id)
            .from_addr(client.addr.clone())
            .detail(detail);
        audit::append(&mut tx, event, self.now()).await?;
        if stage == SessionStage::Full {
            self.reset_lockout(&mut tx, user.id).await?;
        }
        tx.commit().await?;
        Ok(SignedIn {
            token,
            username,
            stage,
        })
    }

    /// What a correct password leads to: training accounts in the training
    /// environment are signed in; everyone else presents a second factor,
    /// or enrols one first.
    async fn stage_after_password(&self, user: &User) -> Result<SessionStage, AppError> {
        if self.settings().training && user.training {
            return Ok(SessionStage::Full);
        }
        Ok(if self.has_second_factor(user.id).await? {
            SessionStage::SecondFactor
        } else {
            SessionStage::Enrolment
        })
    }

    /// Whether the user has a second factor to present.
    pub(crate) async fn has_second_factor(&self, user: UserId) -> Result<bool, AppError> {
        let mut conn = self.store().read().await?;
        Ok(second_factors::totp_of(&mut conn, user).await?.is_some()
            || !passkeys::of_user(&mut conn, user).await?.is_empty())
    }

    /// Argon2 is deliberately slow: run it off the async workers. Without a
    /// stored hash the dummy verification burns the same time.
    async fn verify_in_background(
        &self,
        password: &str,
        stored: Option<String>,
    ) -> Result<bool, AppError> {
        let app = self.clone();
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || match stored {
            Some(hash) => app.passwords().verify(&password, &hash).unwrap_or(false),
            None => {
                app.passwords().verify_dummy(&password);
                false
            }
        })
        .await
        .map_err(AppError::internal)
    }

    async fn refuse<T>(
        &self,
        user: Option<UserId>,
        username: &str,
        client: ClientInfo,
        why: &str,
    ) -> Result<T, AppError> {
        let why = format!("password: {why}");
        self.audit_sign_in(user, username, &client, Outcome::Failure, &why)
            .await?;
        Err(AppError::new(
            ErrorCode::InvalidCredentials,
            BAD_CREDENTIALS,
        ))
    }

    pub(crate) async fn audit_sign_in(
        &self,
        user: Option<UserId>,
        username: &str,
        client: &ClientInfo,
        outcome: Outcome,
        why: &str,
    ) -> Result<(), AppError> {
        let target = match user {
            Some(id) => format!("user:{id}"),
            None => format!("username:{}", username.chars().take(64).collect::<String>()),
        };
        let mut event = NewEvent::new("auth.sign_in", target, outcome)
            .from_addr(client.addr.clone())
            .detail(why);
        event.actor = user;
        let mut tx = self.store().write().await?;
        audit::append(&mut tx, event, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }
}
