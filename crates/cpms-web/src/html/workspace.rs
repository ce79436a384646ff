//! The dashboards: home, ERN and centre.

use askama::Template;
use axum::extract::{Form, Path};
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::workspace::{CentreDashboard, ErnDashboard, Home};
use cpms_domain::org::ErnCode;
use cpms_domain::policy::{Action, Resource, can};
use serde::Deserialize;

use crate::error::{PageError, render};
use crate::extract::Ctx;
use crate::shell::Shell;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    shell: Shell,
    name: String,
    home: Home,
}

pub(crate) async fn home(ctx: Ctx) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let home = ctx.state.app.home(caller).await.map_err(|e| ctx.fail(e))?;
    Ok(render(&HomePage {
        shell: ctx.shell(""),
        name: caller.user.display_name.clone(),
        home,
    }))
}

#[derive(Template)]
#[template(path = "ern_dashboard.html")]
struct ErnPage {
    shell: Shell,
    d: ErnDashboard,
    members: i64,
    /// Links to the network's request queue and guests, for those the
    /// policy lets decide requests and manage memberships.
    can_decide: bool,
    can_manage: bool,
    /// Coordinators, dispatchers and panel managers follow the panels.
    can_follow_panels: bool,
    /// Coordinators and network panel managers keep the expert groups.
    can_keep_groups: bool,
}

pub(crate) async fn ern(ctx: Ctx, Path(code): Path<String>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let d = ctx
        .state
        .app
        .ern_dashboard(caller, &code)
        .await
        .map_err(|e| ctx.fail(e))?;
    let members = d.members_by_role.iter().map(|(_, n)| n).sum();
    let actor = caller.actor();
    let may = |action| can(&actor, action, Resource::Ern(&d.ern.code)).is_allowed();
    Ok(render(&ErnPage {
        shell: ctx.shell("ern"),
        can_decide: may(Action::DecideAccessRequests),
        can_manage: may(Action::ManageMemberships),
        can_follow_panels: may(Action::ViewErnPanels),
        can_keep_groups: may(Action::ManageExpertGroups),
        d,
        members,
    }))
}

#[derive(Template)]
#[template(path = "centre_dashboard.html")]
struct CentrePage {
    shell: Shell,
    d: CentreDashboard,
}

pub(crate) async fn centre(ctx: Ctx, Path(code): Path<String>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let d = ctx
        .state
        .app
        .centre_dashboard(caller, &code)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&CentrePage {
        shell: ctx.shell("centre"),
        d,
    }))
}

#[derive(Deserialize)]
pub(crate) struct SwitchForm {
    ern: String,
}

pub(crate) async fn switch_ern(
    ctx: Ctx,
    Form(form): Form<SwitchForm>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let ern = ErnCode::parse(&form.ern).map_err(|e| ctx.fail(e.into()))?;
    ctx.state
        .app
        .switch_ern(caller, &ern)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(&format!("/erns/{ern}")).into_response())
}

/// Unknown paths: the 404 page, in the layout of whoever asked.
pub(crate) async fn not_found(ctx: Ctx) -> PageError {
    ctx.fail(cpms_app::AppError::not_found("The page you asked for"))
}
