use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::user::{AccountStatus, parse_username};
use cpms_store::repo::{audit, sessions, users};

use super::session::{SessionToken, token_hash};
use crate::{App, AppError, ClientInfo, ErrorCode};

/// A new session: the token goes into the cookie.
#[derive(Debug)]
pub struct SignedIn {
    pub token: SessionToken,
    pub username: String,
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
        let matches = self.verify_in_background(password, stored_hash).await?;
        if !matches {
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
                "account suspended",
            )
            .await?;
            return Err(AppError::new(
                ErrorCode::AccountSuspended,
                "This account is suspended. Please contact your ERN coordinator.",
            ));
        }
        let session = self.new_session(user.id, &client);
        let token = SessionToken::generate();
        let mut tx = self.store().write().await?;
        sessions::insert(&mut tx, &session, &token_hash(&token)).await?;
        let event = NewEvent::new(
            "auth.sign_in",
            format!("user:{}", user.id),
            Outcome::Success,
        )
        .by(user.id)
        .from_addr(client.addr.clone())
        .detail("password");
        audit::append(&mut tx, event, self.now()).await?;
        tx.commit().await?;
        Ok(SignedIn { token, username })
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
        user: Option<cpms_domain::ids::UserId>,
        username: &str,
        client: ClientInfo,
        why: &str,
    ) -> Result<T, AppError> {
        self.audit_sign_in(user, username, &client, Outcome::Failure, why)
            .await?;
        Err(AppError::new(
            ErrorCode::InvalidCredentials,
            BAD_CREDENTIALS,
        ))
    }

    async fn audit_sign_in(
        &self,
        user: Option<cpms_domain::ids::UserId>,
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
            .detail(format!("password: {why}"));
        event.actor = user;
        let mut tx = self.store().write().await?;
        audit::append(&mut tx, event, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }
}
