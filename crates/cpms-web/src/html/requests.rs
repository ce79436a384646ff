//! Access requests: the applicant's own page (status, further roles) and
//! the coordinators' queue (filters, approve or reject, one or many).

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::onboarding::{QueueFilter, RequestOutcome};
use cpms_domain::ids::MembershipId;
use cpms_domain::onboarding::{AccessRequest, EXTRA_ROLES, RequestDecision};
use cpms_domain::org::{MembershipStatus, Role};
use serde::Deserialize;

use crate::error::{PageError, render};
use crate::extract::Ctx;
use crate::html::form::Fields;
use crate::shell::Shell;

#[derive(Template)]
#[template(path = "my_requests.html")]
struct MyRequestsPage {
    shell: Shell,
    requests: Vec<AccessRequest>,
    roles: [Role; 6],
    notice: Option<String>,
    error: Option<String>,
}

pub(crate) async fn mine(ctx: Ctx) -> Result<Response, PageError> {
    my_page(&ctx, None, None).await
}

async fn my_page(
    ctx: &Ctx,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let requests = ctx
        .state
        .app
        .my_requests(caller)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&MyRequestsPage {
        shell: ctx.shell(""),
        requests,
        roles: EXTRA_ROLES,
        notice,
        error,
    }))
}

pub(crate) async fn request_role(ctx: Ctx, body: Bytes) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let f = Fields::parse(&body);
    let outcome = ctx
        .state
        .app
        .request_role(
            caller,
            f.one("ern"),
            f.one("hospital"),
            f.one("role"),
            f.one("comment"),
        )
        .await;
    match outcome {
        Ok(RequestOutcome::Created(r)) => {
            my_page(
                &ctx,
                Some(format!(
                    "Requested: {} at {} in {}.",
                    r.role.label(),
                    r.hcp_name,
                    r.ern
                )),
                None,
            )
            .await
        }
        Ok(RequestOutcome::AlreadyOpen(r)) => {
            let notice = format!(
                "You already asked for {} at {} in {} on {}; it is {}.",
                r.role.label(),
                r.hcp_name,
                r.ern,
                r.requested_at.strftime("%Y-%m-%d"),
                r.status.as_str()
            );
            my_page(&ctx, Some(notice), None).await
        }
        Err(err) if err.code == cpms_app::ErrorCode::Invalid => {
            my_page(&ctx, None, Some(err.message)).await
        }
        Err(err) => Err(ctx.fail(err)),
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct QueueParams {
    status: Option<String>,
    role: Option<String>,
    country: Option<String>,
    q: Option<String>,
}

#[derive(Template)]
#[template(path = "request_queue.html")]
struct QueuePage {
    shell: Shell,
    ern: String,
    requests: Vec<AccessRequest>,
    status: String,
    role: String,
    country: String,
    q: String,
    statuses: [MembershipStatus; 5],
    roles: [Role; 10],
}

pub(crate) async fn queue(
    ctx: Ctx,
    Path(code): Path<String>,
    Query(p): Query<QueueParams>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let nonempty = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty());
    // The queue opens on what waits for a decision.
    let status = p.status.clone().unwrap_or_else(|| "requested".to_owned());
    let filter = QueueFilter {
        status: MembershipStatus::parse(&status).ok(),
        role: nonempty(&p.role).and_then(|r| Role::parse(&r).ok()),
        country: nonempty(&p.country).map(|c| c.trim().to_uppercase()),
        text: nonempty(&p.q).map(|q| q.trim().to_owned()),
    };
    let requests = ctx
        .state
        .app
        .request_queue(caller, &code, &filter)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&QueuePage {
        shell: ctx.shell("ern"),
        ern: code,
        requests,
        status,
        role: p.role.unwrap_or_default(),
        country: p.country.unwrap_or_default(),
        q: p.q.unwrap_or_default(),
        statuses: MembershipStatus::ALL,
        roles: Role::ALL,
    }))
}

/// Approve or reject: a row's own button decides that row, the bulk
/// buttons every ticked row.
pub(crate) async fn decide(
    ctx: Ctx,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let f = Fields::parse(&body);
    let revoke = f.one("revoke_one");
    if !revoke.is_empty() {
        let id = revoke.parse::<MembershipId>().map_err(|_| {
            ctx.fail(cpms_app::AppError::invalid(
                "That membership does not exist.",
            ))
        })?;
        ctx.state
            .app
            .revoke_membership(caller, &code, id, f.one("reason"))
            .await
            .map_err(|e| ctx.fail(e))?;
        return Ok(Redirect::to(&format!("/erns/{code}/requests?status=approved")).into_response());
    }
    let (action, ids) = match (f.one("approve_one"), f.one("reject_one")) {
        ("", "") => (f.one("decision").to_owned(), f.all("id")),
        (id, "") => ("approve".to_owned(), vec![id.to_owned()]),
        (_, id) => ("reject".to_owned(), vec![id.to_owned()]),
    };
    let ids = ids
        .iter()
        .map(|id| id.parse::<MembershipId>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| ctx.fail(cpms_app::AppError::invalid("That request does not exist.")))?;
    let decision = match action.as_str() {
        "approve" => RequestDecision::Approve,
        "reject" => RequestDecision::Reject {
            reason: f.one("reason").to_owned(),
        },
        _ => return Err(ctx.fail(cpms_app::AppError::invalid("Choose approve or reject."))),
    };
    ctx.state
        .app
        .decide_requests(caller, &code, &ids, &decision)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(&format!("/erns/{code}/requests")).into_response())
}
