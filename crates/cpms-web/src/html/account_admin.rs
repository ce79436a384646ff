//! Administration of other people's accounts: suspension (administrators)
//! and second-factor reset after a lost device (administrators and the
//! coordinators of the person's networks). The policy decides who may.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use cpms_app::auth::AccountSummary;

use crate::error::{PageError, render};
use crate::extract::Ctx;
use crate::shell::Shell;

#[derive(Template)]
#[template(path = "account_admin.html")]
struct AccountPage {
    shell: Shell,
    a: AccountSummary,
    notice: Option<&'static str>,
}

pub(crate) async fn page(ctx: Ctx, Path(username): Path<String>) -> Result<Response, PageError> {
    account_page(&ctx, &username, None).await
}

async fn account_page(
    ctx: &Ctx,
    username: &str,
    notice: Option<&'static str>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let a = ctx
        .state
        .app
        .account_summary(caller, username)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&AccountPage {
        shell: ctx.shell(""),
        a,
        notice,
    }))
}

pub(crate) async fn suspend(ctx: Ctx, Path(username): Path<String>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    ctx.state
        .app
        .suspend_account(caller, &username)
        .await
        .map_err(|e| ctx.fail(e))?;
    account_page(
        &ctx,
        &username,
        Some("The account is suspended and all its sessions have ended."),
    )
    .await
}

pub(crate) async fn reset_second_factor(
    ctx: Ctx,
    Path(username): Path<String>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    ctx.state
        .app
        .reset_second_factor(caller, &username)
        .await
        .map_err(|e| ctx.fail(e))?;
    account_page(
        &ctx,
        &username,
        Some("The second factor is reset and the person is signed out everywhere. At their next sign-in they set up a new one."),
    )
    .await
}
