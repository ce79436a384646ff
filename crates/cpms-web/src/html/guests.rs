//! A network's guests for its coordinators: when each membership ends,
//! extending it, and granting the virtual-centre capability.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use cpms_domain::ids::MembershipId;
use cpms_domain::onboarding::AccessRequest;
use cpms_domain::org::Role;

use crate::error::{PageError, render};
use crate::extract::Ctx;
use crate::shell::Shell;

#[derive(Template)]
#[template(path = "ern_guests.html")]
struct GuestsPage {
    shell: Shell,
    ern: String,
    guests: Vec<AccessRequest>,
    now: jiff::Timestamp,
}

pub(crate) async fn list(ctx: Ctx, Path(code): Path<String>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let guests = ctx
        .state
        .app
        .ern_guests(caller, &code)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&GuestsPage {
        shell: ctx.shell("ern"),
        ern: code,
        guests,
        now: caller.now,
    }))
}

pub(crate) async fn extend(
    ctx: Ctx,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let id = membership_id(&ctx, &id)?;
    ctx.state
        .app
        .extend_guest(caller, &code, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(&format!("/erns/{code}/guests")).into_response())
}

pub(crate) async fn virtual_centre(
    ctx: Ctx,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let id = membership_id(&ctx, &id)?;
    ctx.state
        .app
        .grant_virtual_centre(caller, &code, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(&format!("/erns/{code}/guests")).into_response())
}

fn membership_id(ctx: &Ctx, raw: &str) -> Result<MembershipId, PageError> {
    raw.parse()
        .map_err(|_| ctx.fail(cpms_app::AppError::not_found("That guest membership")))
}
