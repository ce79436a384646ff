//! The person's personal API tokens: create one (the secret is shown on the
//! answer page only), list them, revoke one.

use askama::Template;
use axum::extract::{Form, Path};
use axum::http::StatusCode;
use axum::response::Response;
use cpms_app::ErrorCode;
use cpms_app::auth::ApiTokenView;
use cpms_domain::ids::ApiTokenId;
use serde::Deserialize;

use crate::error::{PageError, render, with_status};
use crate::extract::Ctx;
use crate::shell::Shell;

#[derive(Template)]
#[template(path = "api_tokens.html")]
struct TokensPage {
    shell: Shell,
    tokens: Vec<TokenRow>,
    /// The secret of the token just created: shown this once.
    created: Option<String>,
    notice: Option<&'static str>,
    error: Option<String>,
}

struct TokenRow {
    id: String,
    name: String,
    created: String,
    expires: String,
    last_used: String,
    /// "active", "expired" or "revoked".
    state: &'static str,
}

fn day(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

impl From<ApiTokenView> for TokenRow {
    fn from(t: ApiTokenView) -> Self {
        Self {
            id: t.id.to_string(),
            name: t.name,
            created: day(t.created),
            expires: t.expires.map_or_else(|| "never".to_owned(), day),
            last_used: t.last_used.map_or_else(|| "never".to_owned(), day),
            state: if t.revoked.is_some() {
                "revoked"
            } else if t.expired {
                "expired"
            } else {
                "active"
            },
        }
    }
}

async fn page(
    ctx: &Ctx,
    created: Option<String>,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let tokens = ctx
        .state
        .app
        .my_api_tokens(caller)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&TokensPage {
        shell: ctx.shell("account"),
        tokens: tokens.into_iter().map(TokenRow::from).collect(),
        created,
        notice,
        error,
    }))
}

pub(crate) async fn list(ctx: Ctx) -> Result<Response, PageError> {
    page(&ctx, None, None, None).await
}

#[derive(Deserialize)]
pub(crate) struct Create {
    name: String,
    /// `YYYY-MM-DD`, or empty for a token that does not expire.
    #[serde(default)]
    expires: String,
}

pub(crate) async fn create(ctx: Ctx, Form(form): Form<Create>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let expires = form.expires.trim();
    let expires_on = if expires.is_empty() {
        None
    } else {
        match expires.parse::<jiff::civil::Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                let message = format!("'{expires}' is not a date (YYYY-MM-DD).");
                let answer = page(&ctx, None, None, Some(message)).await?;
                return Ok(with_status(StatusCode::UNPROCESSABLE_ENTITY, answer));
            }
        }
    };
    match ctx
        .state
        .app
        .create_api_token(caller, &form.name, expires_on)
        .await
    {
        Ok(token) => page(&ctx, Some(token.secret), None, None).await,
        Err(err) if err.code == ErrorCode::Invalid => {
            let answer = page(&ctx, None, None, Some(err.message)).await?;
            Ok(with_status(StatusCode::UNPROCESSABLE_ENTITY, answer))
        }
        Err(err) => Err(ctx.fail(err)),
    }
}

pub(crate) async fn revoke(ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let id: ApiTokenId = id
        .parse()
        .map_err(|_| ctx.fail(cpms_app::AppError::not_found("That token")))?;
    ctx.state
        .app
        .revoke_api_token(caller, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    page(&ctx, None, Some("The token is revoked."), None).await
}
