//! Personal API tokens: a signed-in person creates named bearer tokens
//! (shown once, stored only as a hash), lists and revokes them; a request
//! carrying `Authorization: Bearer <token>` is resolved to that person.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cpms_domain::audit::Outcome;
use cpms_domain::ids::{ApiTokenId, SessionId};
use cpms_domain::session::SessionStage;
use cpms_domain::user::AccountStatus;
use cpms_store::repo::api_tokens::{self, ApiTokenRow};
use cpms_store::repo::{audit, memberships, users};
use jiff::Timestamp;
use jiff::civil::Date;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::{App, AppError, Caller, ClientInfo, ErrorCode};

/// Every token starts with this, so leaked tokens are easy to recognise
/// (secret scanners, logs).
const PREFIX: &str = "cpms_";
const NAME_LIMIT: usize = 100;
/// A use is recorded (last used, audit event) at most this often per token,
/// so a DICOMweb client fetching thousands of frames writes one event a
/// minute, not one per frame; the data it reads is audited by each use case.
const USE_INTERVAL: jiff::SignedDuration = jiff::SignedDuration::from_secs(60);

/// One token as its owner sees it (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenView {
    pub id: ApiTokenId,
    pub name: String,
    pub created: Timestamp,
    pub expires: Option<Timestamp>,
    pub last_used: Option<Timestamp>,
    pub revoked: Option<Timestamp>,
    /// Past its expiry (and not revoked).
    pub expired: bool,
}

/// A newly created token: the secret is in `secret`, shown this once.
pub struct NewApiToken {
    pub view: ApiTokenView,
    pub secret: String,
}

fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn view(row: ApiTokenRow, now: Timestamp) -> ApiTokenView {
    ApiTokenView {
        expired: row.revoked_at.is_none() && row.expires_at.is_some_and(|e| e <= now),
        id: row.id,
        name: row.name,
        created: row.created_at,
        expires: row.expires_at,
        last_used: row.last_used_at,
        revoked: row.revoked_at,
    }
}

fn refused(message: &str) -> AppError {
    AppError::new(ErrorCode::NotSignedIn, message)
}

impl App {
    /// Creates a token for the caller, valid through `expires_on` (UTC)
    /// when given.
    pub async fn create_api_token(
        &self,
        caller: &Caller,
        name: &str,
        expires_on: Option<Date>,
    ) -> Result<NewApiToken, AppError> {
        let now = self.now();
        let name = name.trim();
        if name.is_empty() {
            return Err(AppError::invalid(
                "Give the token a name that says where it is used.",
            ));
        }
        if name.chars().count() > NAME_LIMIT {
            return Err(AppError::invalid(format!(
                "A token name has at most {NAME_LIMIT} characters."
            )));
        }
        let expires_at = match expires_on {
            None => None,
            Some(day) => {
                let end = day
                    .tomorrow()
                    .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC))
                    .map(|z| z.timestamp())
                    .map_err(|_| AppError::invalid("That expiry date is out of range."))?;
                if end <= now {
                    return Err(AppError::invalid(
                        "The expiry date must not be in the past.",
                    ));
                }
                Some(end)
            }
        };
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let secret = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
        let row = ApiTokenRow {
            id: ApiTokenId::new(),
            user: caller.user.id,
            name: name.to_owned(),
            created_at: now,
            expires_at,
            last_used_at: None,
            revoked_at: None,
        };
        let mut tx = self.store().write().await?;
        api_tokens::insert(&mut tx, &row, &hash(&secret)).await?;
        self.audit_factor(
            &mut tx,
            caller,
            "auth.api_token_created",
            &format!("token:{} {name}", row.id),
        )
        .await?;
        tx.commit().await?;
        Ok(NewApiToken {
            view: view(row, now),
            secret,
        })
    }

    /// The caller's tokens, newest first, revoked ones included.
    pub async fn my_api_tokens(&self, caller: &Caller) -> Result<Vec<ApiTokenView>, AppError> {
        let mut conn = self.store().read().await?;
        let rows = api_tokens::of_user(&mut conn, caller.user.id).await?;
        Ok(rows.into_iter().map(|r| view(r, self.now())).collect())
    }

    /// Revokes one of the caller's own tokens; it is refused from then on.
    pub async fn revoke_api_token(&self, caller: &Caller, id: ApiTokenId) -> Result<(), AppError> {
        let mut tx = self.store().write().await?;
        if !api_tokens::revoke(&mut tx, caller.user.id, id, self.now()).await? {
            return Err(AppError::not_found("That token"));
        }
        self.audit_factor(
            &mut tx,
            caller,
            "auth.api_token_revoked",
            &format!("token:{id}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The caller behind a bearer token, or `NotSignedIn` when the token is
    /// unknown, revoked, expired or its account not active (refusals of a
    /// known token are audited against its owner).
    pub async fn resolve_api_token(
        &self,
        secret: &str,
        client: ClientInfo,
    ) -> Result<Caller, AppError> {
        let now = self.now();
        let mut conn = self.store().read().await?;
        let Some(token) = api_tokens::find_by_hash(&mut conn, &hash(secret)).await? else {
            return Err(refused("Unknown API token."));
        };
        let user = users::get(&mut conn, token.user).await?;
        let memberships = memberships::of_user(&mut conn, token.user).await?;
        drop(conn);
        let problem = if token.revoked_at.is_some() {
            Some("This API token was revoked.")
        } else if token.expires_at.is_some_and(|e| e <= now) {
            Some("This API token has expired.")
        } else if !user
            .as_ref()
            .is_some_and(|u| u.status == AccountStatus::Active)
        {
            Some("The account of this API token is not active.")
        } else {
            None
        };
        let detail = format!("token:{} {}", token.id, token.name);
        if let Some(problem) = problem {
            let event = cpms_domain::audit::NewEvent::new(
                "auth.api_token_refused",
                format!("user:{}", token.user),
                Outcome::Denied,
            )
            .by(token.user)
            .from_addr(client.addr.clone())
            .detail(format!("{detail}: {problem}"));
            let mut tx = self.store().write().await?;
            audit::append(&mut tx, event, now).await?;
            tx.commit().await?;
            return Err(refused(problem));
        }
        let Some(user) = user else {
            return Err(refused("Unknown API token."));
        };
        let caller = Caller {
            user,
            memberships,
            // A bearer caller has no session row; the token's id stands in,
            // so session operations (sign out, switch ERN) find nothing.
            session: SessionId::from_uuid(token.id.as_uuid()),
            rotated_to: None,
            current_ern: None,
            stage: SessionStage::Full,
            client,
            now,
            on_behalf_of: None,
            api_token: Some(token.id),
        };
        if token
            .last_used_at
            .is_none_or(|at| now.duration_since(at) >= USE_INTERVAL)
        {
            let mut tx = self.store().write().await?;
            api_tokens::touch(&mut tx, token.id, now).await?;
            self.audit_factor(&mut tx, &caller, "auth.api_token_used", &detail)
                .await?;
            tx.commit().await?;
        }
        Ok(caller)
    }
}
