//! A network's expert groups for its coordinators and network panel
//! managers: the list with a form to create one, and each group's page
//! (rename, delete, its experts with a remove button, and the expert
//! directory's search to add more).

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cpms_app::onboarding::DirectoryChoices;
use cpms_app::panels::{ExpertGroupView, ExpertGroups};
use cpms_app::{AppError, ErrorCode};

use crate::error::{PageError, render, with_status};
use crate::extract::Ctx;
use crate::html::experts::DirectoryParams;
use crate::html::form::Fields;
use crate::html::panel_invite::chosen;
use crate::shell::Shell;

#[derive(Template)]
#[template(path = "expert_groups.html")]
struct ListPage {
    shell: Shell,
    l: ExpertGroups,
    /// The name typed in the create form, and what was wrong with it.
    name: String,
    error: Option<String>,
}

/// `GET /erns/{code}/expert-groups`.
pub(crate) async fn list(ctx: Ctx, Path(code): Path<String>) -> Result<Response, PageError> {
    list_page(&ctx, &code, String::new(), None).await
}

async fn list_page(
    ctx: &Ctx,
    code: &str,
    name: String,
    error: Option<String>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let l = ctx
        .state
        .app
        .expert_groups(caller, code)
        .await
        .map_err(|e| ctx.fail(e))?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = render(&ListPage {
        shell: ctx.shell("ern"),
        l,
        name,
        error,
    });
    Ok(with_status(status, page))
}

/// `POST /erns/{code}/expert-groups`: create a group, then open it.
pub(crate) async fn create(
    ctx: Ctx,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let f = Fields::parse(&body);
    let name = f.one("name");
    match ctx.state.app.create_expert_group(caller, &code, name).await {
        Ok(id) => Ok(Redirect::to(&format!("/erns/{code}/expert-groups/{id}")).into_response()),
        Err(err) if err.code == ErrorCode::Invalid => {
            list_page(&ctx, &code, name.to_owned(), Some(err.message)).await
        }
        Err(err) => Err(ctx.fail(err)),
    }
}

#[derive(Template)]
#[template(path = "expert_group.html")]
struct GroupPage {
    shell: Shell,
    g: ExpertGroupView,
    p: DirectoryParams,
    c: DirectoryChoices,
    error: Option<String>,
}

impl GroupPage {
    fn in_group(&self, user: &cpms_domain::ids::UserId) -> bool {
        self.g.members.iter().any(|m| &m.user == user)
    }
}

/// `GET /erns/{code}/expert-groups/{id}`: the group and the directory's
/// search.
pub(crate) async fn page(
    ctx: Ctx,
    Path((code, id)): Path<(String, String)>,
    Query(p): Query<DirectoryParams>,
) -> Result<Response, PageError> {
    group_page(&ctx, &code, &id, p, None).await
}

async fn group_page(
    ctx: &Ctx,
    code: &str,
    id: &str,
    p: DirectoryParams,
    error: Option<String>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let app = &ctx.state.app;
    let (g, error) = match app.expert_group(caller, code, id, &p.query()).await {
        Ok(g) => (g, error),
        // A search that does not parse still shows the group.
        Err(err) if err.code == ErrorCode::Invalid => {
            let plain = DirectoryParams::default();
            let g = app
                .expert_group(caller, code, id, &plain.query())
                .await
                .map_err(|e| ctx.fail(e))?;
            (g, Some(err.message))
        }
        Err(err) => return Err(ctx.fail(err)),
    };
    let c = app
        .directory_choices(caller)
        .await
        .map_err(|e| ctx.fail(e))?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = render(&GroupPage {
        shell: ctx.shell("ern"),
        g,
        p,
        c,
        error,
    });
    Ok(with_status(status, page))
}

/// Back to the group after a change, or its page with the error.
async fn after(
    ctx: &Ctx,
    code: &str,
    id: &str,
    result: Result<(), AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/erns/{code}/expert-groups/{id}")).into_response()),
        Err(err) if err.code == ErrorCode::Invalid => {
            group_page(ctx, code, id, DirectoryParams::default(), Some(err.message)).await
        }
        Err(err) => Err(ctx.fail(err)),
    }
}

/// `POST /erns/{code}/expert-groups/{id}/rename`.
pub(crate) async fn rename(
    ctx: Ctx,
    Path((code, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let f = Fields::parse(&body);
    let result = ctx
        .state
        .app
        .rename_expert_group(caller, &code, &id, f.one("name"))
        .await;
    after(&ctx, &code, &id, result).await
}

/// `POST /erns/{code}/expert-groups/{id}/delete`.
pub(crate) async fn delete(
    ctx: Ctx,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    ctx.state
        .app
        .delete_expert_group(caller, &code, &id)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(&format!("/erns/{code}/expert-groups")).into_response())
}

/// `POST /erns/{code}/expert-groups/{id}/members`: add the chosen experts.
pub(crate) async fn add(
    ctx: Ctx,
    Path((code, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let f = Fields::parse(&body);
    let result = match chosen(f.all("experts")) {
        Ok(experts) => {
            ctx.state
                .app
                .add_to_expert_group(caller, &code, &id, &experts)
                .await
        }
        Err(err) => Err(err),
    };
    after(&ctx, &code, &id, result).await
}

/// `POST /erns/{code}/expert-groups/{id}/members/{user}/remove`.
pub(crate) async fn remove(
    ctx: Ctx,
    Path((code, id, user)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let result = ctx
        .state
        .app
        .remove_from_expert_group(caller, &code, &id, &user)
        .await;
    after(&ctx, &code, &id, result).await
}
