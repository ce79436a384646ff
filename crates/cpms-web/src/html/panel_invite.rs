//! Inviting experts to a panel, and forwarding a request from the triage
//! queue: the expert directory's search with a choice of people.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::ErrorCode;
use cpms_app::onboarding::DirectoryChoices;
use cpms_app::panels::InviteChoices;
use cpms_domain::ids::UserId;

use crate::error::{PageError, render};
use crate::extract::Ctx;
use crate::html::experts::DirectoryParams;
use crate::html::form::Fields;
use crate::shell::Shell;

#[derive(Template)]
#[template(path = "panel_invite.html")]
struct InvitePage {
    shell: Shell,
    p: DirectoryParams,
    c: DirectoryChoices,
    i: InviteChoices,
    error: Option<String>,
    /// The guest form as typed, and what was wrong with it.
    guest: GuestTyped,
}

/// The guest invitation form as typed.
#[derive(Default)]
struct GuestTyped {
    name: String,
    email: String,
    error: Option<String>,
}

impl InvitePage {
    fn on_panel(&self, user: &UserId) -> bool {
        self.i.on_panel.contains(user)
    }
}

/// `GET /panels/{reference}/invite`: search experts to invite.
pub(crate) async fn page(
    ctx: Ctx,
    Path(reference): Path<String>,
    Query(p): Query<DirectoryParams>,
) -> Result<Response, PageError> {
    invite_page(&ctx, &reference, p, None).await
}

async fn invite_page(
    ctx: &Ctx,
    reference: &str,
    p: DirectoryParams,
    error: Option<String>,
) -> Result<Response, PageError> {
    invite_page_with(ctx, reference, p, error, GuestTyped::default()).await
}

async fn invite_page_with(
    ctx: &Ctx,
    reference: &str,
    p: DirectoryParams,
    error: Option<String>,
    guest: GuestTyped,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let app = &ctx.state.app;
    let c = app
        .directory_choices(caller)
        .await
        .map_err(|e| ctx.fail(e))?;
    let (i, error) = match app.panel_experts(caller, reference, &p.query()).await {
        Ok(i) => (i, error),
        Err(err) if err.code == ErrorCode::Invalid => {
            let plain = DirectoryParams::default();
            let i = app
                .panel_experts(caller, reference, &plain.query())
                .await
                .map_err(|e| ctx.fail(e))?;
            (i, Some(err.message))
        }
        Err(err) => return Err(ctx.fail(err)),
    };
    let status = if error.is_some() || guest.error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let page = render(&InvitePage {
        shell: ctx.shell("panels"),
        p,
        c,
        i,
        error,
        guest,
    });
    Ok(crate::error::with_status(status, page))
}

/// The chosen people of the form; an id that is not one is an input error.
pub(crate) fn chosen(values: Vec<String>) -> Result<Vec<UserId>, cpms_app::AppError> {
    values
        .iter()
        .map(|v| v.parse())
        .collect::<Result<_, _>>()
        .map_err(|_| cpms_app::AppError::invalid("Experts: choose people from the list."))
}

/// `POST /panels/{reference}/invite`: invite the chosen experts, or (from
/// the triage queue) forward the request to them and/or another lead.
pub(crate) async fn invite(
    ctx: Ctx,
    Path(reference): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let f = Fields::parse(&body);
    let app = &ctx.state.app;
    let result = match chosen(f.all("experts")) {
        Err(err) => Err(err),
        Ok(experts) if f.one("action") == "forward" => {
            let lead = Some(f.one("lead"))
                .filter(|l| !l.is_empty())
                .map(|l| chosen(vec![l.to_owned()]))
                .transpose()
                .map(|l| l.and_then(|mut one| one.pop()));
            match lead {
                Ok(lead) => app
                    .forward_consultation(caller, &reference, &experts, lead)
                    .await
                    .map(drop),
                Err(err) => Err(err),
            }
        }
        Ok(experts) => app
            .invite_to_panel(caller, &reference, &experts)
            .await
            .map(drop),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/panels/{reference}")).into_response()),
        Err(err) if err.code == ErrorCode::Invalid => {
            invite_page(
                &ctx,
                &reference,
                DirectoryParams::default(),
                Some(err.message),
            )
            .await
        }
        Err(err) => Err(ctx.fail(err)),
    }
}

/// `POST /panels/{reference}/guests`: invite a guest by e-mail (a sign-up
/// link, or for an existing account an invitation to sign in).
pub(crate) async fn invite_guest(
    ctx: Ctx,
    Path(reference): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let f = Fields::parse(&body);
    let (name, email) = (f.one("name"), f.one("email"));
    match ctx
        .state
        .app
        .invite_guest(caller, &reference, name, email)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/panels/{reference}#guests")).into_response()),
        Err(err) if err.code == ErrorCode::Invalid => {
            let typed = GuestTyped {
                name: name.to_owned(),
                email: email.to_owned(),
                error: Some(err.message),
            };
            invite_page_with(&ctx, &reference, DirectoryParams::default(), None, typed).await
        }
        Err(err) => Err(ctx.fail(err)),
    }
}

/// `POST /panels/{reference}/invite-group`: invite every expert of one of
/// the network's groups who is not on the panel yet.
pub(crate) async fn invite_group(
    ctx: Ctx,
    Path(reference): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let f = Fields::parse(&body);
    match ctx
        .state
        .app
        .invite_group_to_panel(caller, &reference, f.one("group"))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/panels/{reference}")).into_response()),
        Err(err) if err.code == ErrorCode::Invalid => {
            invite_page(
                &ctx,
                &reference,
                DirectoryParams::default(),
                Some(err.message),
            )
            .await
        }
        Err(err) => Err(ctx.fail(err)),
    }
}
