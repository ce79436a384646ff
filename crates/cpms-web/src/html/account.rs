//! The person's own security settings: enrolling a passkey or the
//! authenticator app (also the forced step of a first sign-in), recovery
//! codes, and the "My sessions" page.

use askama::Template;
use axum::extract::{Form, Path};
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::auth::{Enrolled, PasskeyOffer, SecurityOverview, SessionView, TotpSetup};
use cpms_app::{Caller, ErrorCode};
use cpms_domain::ids::SessionId;
use cpms_domain::session::SessionStage;
use serde::Deserialize;

use super::auth::set_session_cookie;
use crate::error::{PageError, render};
use crate::extract::Ctx;
use crate::shell::Shell;

const SECTION: &str = "account";

#[derive(Template)]
#[template(path = "enrol.html")]
struct EnrolPage {
    shell: Shell,
    /// Enrolling is the missing step of a sign-in (not a settings change).
    enrolling: bool,
    /// Offered first: passkeys are the recommended second factor.
    new_passkey: PasskeyOffer,
    setup: TotpSetup,
    error: Option<String>,
}

/// The forced enrolment after a first password sign-in, and the page for
/// adding or replacing the authenticator app later.
pub(crate) async fn enrol(ctx: Ctx) -> Result<Response, PageError> {
    let caller = ctx.enrolling()?;
    enrol_page(&ctx, caller, None).await
}

pub(super) async fn enrol_page(
    ctx: &Ctx,
    caller: &Caller,
    error: Option<String>,
) -> Result<Response, PageError> {
    let app = &ctx.state.app;
    let new_passkey = app
        .start_passkey_registration(caller)
        .await
        .map_err(|e| ctx.fail(e))?;
    let setup = app
        .start_totp_enrolment(caller)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&EnrolPage {
        shell: ctx.shell(SECTION),
        enrolling: caller.stage == SessionStage::Enrolment,
        new_passkey,
        setup,
        error,
    }))
}

#[derive(Template)]
#[template(path = "recovery_codes.html")]
struct RecoveryCodesPage {
    shell: Shell,
    heading: &'static str,
    codes: Vec<String>,
    continue_to: &'static str,
}

#[derive(Deserialize)]
pub(crate) struct ConfirmTotp {
    handle: String,
    code: String,
}

pub(crate) async fn confirm_totp(
    ctx: Ctx,
    Form(form): Form<ConfirmTotp>,
) -> Result<Response, PageError> {
    let caller = ctx.enrolling()?;
    let enrolled = match ctx
        .state
        .app
        .finish_totp_enrolment(caller, &form.handle, &form.code)
        .await
    {
        Ok(enrolled) => enrolled,
        // A mistyped code: a fresh QR code and the message, to try again.
        Err(err) if err.code == ErrorCode::Invalid => {
            let mut page = enrol_page(&ctx, caller, Some(err.message)).await?;
            *page.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(page);
        }
        Err(err) => return Err(ctx.fail(err)),
    };
    Ok(enrolled_page(&ctx, enrolled, "Authenticator app set up"))
}

/// After a factor was added: the recovery codes (when new) and, when this
/// finished a sign-in, the session cookie.
pub(super) fn enrolled_page(ctx: &Ctx, enrolled: Enrolled, heading: &'static str) -> Response {
    let (heading, continue_to) = match enrolled.session {
        Some(_) => ("You are signed in", "/"),
        None => (heading, "/account/security"),
    };
    let mut response = render(&RecoveryCodesPage {
        shell: ctx.shell(SECTION),
        heading,
        codes: enrolled.recovery_codes,
        continue_to,
    });
    if let Some(token) = enrolled.session {
        set_session_cookie(&ctx.state, &mut response, token.as_str());
    }
    response
}

pub(crate) async fn regenerate_recovery_codes(ctx: Ctx) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let codes = ctx
        .state
        .app
        .regenerate_recovery_codes(caller)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&RecoveryCodesPage {
        shell: ctx.shell(SECTION),
        heading: "New recovery codes",
        codes,
        continue_to: "/account/security",
    }))
}

#[derive(Template)]
#[template(path = "security.html")]
struct SecurityPage {
    shell: Shell,
    overview: SecurityOverview,
    passkeys: Vec<PasskeyRow>,
    /// For adding a passkey from this page.
    new_passkey: PasskeyOffer,
    notice: Option<&'static str>,
    error: Option<String>,
}

struct PasskeyRow {
    id: String,
    name: String,
    created: String,
    last_used: String,
}

pub(crate) async fn security(ctx: Ctx) -> Result<Response, PageError> {
    security_page(&ctx, None, None).await
}

pub(super) async fn security_page(
    ctx: &Ctx,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let app = &ctx.state.app;
    let overview = app
        .security_overview(caller)
        .await
        .map_err(|e| ctx.fail(e))?;
    let new_passkey = app
        .start_passkey_registration(caller)
        .await
        .map_err(|e| ctx.fail(e))?;
    let passkeys = overview
        .passkeys
        .iter()
        .map(|p| PasskeyRow {
            id: p.id.clone(),
            name: p.name.clone(),
            created: minutes(p.created),
            last_used: p.last_used.map_or_else(|| "never".to_owned(), minutes),
        })
        .collect();
    Ok(render(&SecurityPage {
        shell: ctx.shell(SECTION),
        overview,
        passkeys,
        new_passkey,
        notice,
        error,
    }))
}

#[derive(Template)]
#[template(path = "sessions.html")]
struct SessionsPage {
    shell: Shell,
    sessions: Vec<SessionRow>,
    notice: Option<&'static str>,
}

struct SessionRow {
    id: String,
    browser: String,
    address: String,
    started: String,
    last_seen: String,
    current: bool,
}

impl From<SessionView> for SessionRow {
    fn from(s: SessionView) -> Self {
        Self {
            id: s.id.to_string(),
            browser: s.user_agent.unwrap_or_else(|| "Unknown browser".to_owned()),
            address: s.client_addr.unwrap_or_else(|| "unknown".to_owned()),
            started: minutes(s.started),
            last_seen: minutes(s.last_seen),
            current: s.current,
        }
    }
}

fn minutes(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

pub(crate) async fn sessions(ctx: Ctx) -> Result<Response, PageError> {
    sessions_page(&ctx, None).await
}

async fn sessions_page(ctx: &Ctx, notice: Option<&'static str>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let mine = ctx
        .state
        .app
        .my_sessions(caller)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&SessionsPage {
        shell: ctx.shell(SECTION),
        sessions: mine.into_iter().map(SessionRow::from).collect(),
        notice,
    }))
}

pub(crate) async fn revoke_session(
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let id: SessionId = id
        .parse()
        .map_err(|_| ctx.fail(cpms_app::AppError::not_found("That session")))?;
    let own = id == caller.session;
    ctx.state
        .app
        .revoke_session(caller, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    if own {
        return Ok(signed_out(&ctx));
    }
    sessions_page(&ctx, Some("That session is signed out.")).await
}

pub(crate) async fn sign_out_everywhere(ctx: Ctx) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    ctx.state
        .app
        .sign_out_everywhere(caller)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(signed_out(&ctx))
}

fn signed_out(ctx: &Ctx) -> Response {
    let mut response = Redirect::to("/signin").into_response();
    set_session_cookie(&ctx.state, &mut response, "");
    response
}
