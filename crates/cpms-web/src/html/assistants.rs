//! The "Assistants" page under the account: a clinician names assistants of
//! their hospital and un-names them; an assistant accepts, declines, and
//! chooses whom to act for in this session.

use askama::Template;
use axum::extract::{Form, Path};
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::onboarding::{AssistantChoice, AssistantLink};
use cpms_domain::ids::UserId;
use serde::Deserialize;

use crate::error::{PageError, render};
use crate::extract::Ctx;
use crate::shell::Shell;

const PAGE: &str = "/account/assistants";

#[derive(Template)]
#[template(path = "assistants.html")]
struct AssistantsPage {
    shell: Shell,
    named: Vec<AssistantLink>,
    named_by: Vec<AssistantLink>,
    choices: Vec<AssistantChoice>,
    acting_for: Option<UserId>,
}

impl AssistantsPage {
    fn is_acting_for(&self, clinician: &UserId) -> bool {
        self.acting_for.as_ref() == Some(clinician)
    }
}

pub(crate) async fn page(ctx: Ctx) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let view = ctx
        .state
        .app
        .assistants(caller)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&AssistantsPage {
        shell: ctx.shell("account"),
        named: view.named,
        named_by: view.named_by,
        choices: view.choices,
        acting_for: caller.clinician_acted_for(),
    }))
}

#[derive(Deserialize)]
pub(crate) struct NameForm {
    assistant: String,
}

pub(crate) async fn name(ctx: Ctx, Form(form): Form<NameForm>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let assistant = user_id(&ctx, &form.assistant, "That assistant")?;
    ctx.state
        .app
        .name_assistant(caller, assistant)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(PAGE).into_response())
}

pub(crate) async fn accept(ctx: Ctx, Path(clinician): Path<String>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let clinician = user_id(&ctx, &clinician, "That invitation")?;
    ctx.state
        .app
        .accept_naming(caller, clinician)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(PAGE).into_response())
}

pub(crate) async fn remove(ctx: Ctx, Path(other): Path<String>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let other = user_id(&ctx, &other, "That assistant link")?;
    ctx.state
        .app
        .end_assistant_link(caller, other)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(PAGE).into_response())
}

#[derive(Deserialize)]
pub(crate) struct ActForm {
    /// Empty to stop acting for anyone.
    #[serde(default)]
    clinician: String,
}

pub(crate) async fn act_for(ctx: Ctx, Form(form): Form<ActForm>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let clinician = match form.clinician.trim() {
        "" => None,
        raw => Some(user_id(&ctx, raw, "That clinician")?),
    };
    ctx.state
        .app
        .act_for(caller, clinician)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(PAGE).into_response())
}

fn user_id(ctx: &Ctx, raw: &str, what: &str) -> Result<UserId, PageError> {
    raw.parse()
        .map_err(|_| ctx.fail(cpms_app::AppError::not_found(what)))
}
