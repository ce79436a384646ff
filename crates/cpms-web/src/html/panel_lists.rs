//! Lists of panels: "my panels", the network's panels with filters and
//! paging, and the network's triage queue.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use cpms_app::panels::{ErnPanelQuery, ErnPanels, MyPanels, PanelSummary};
use cpms_domain::panel::PanelState;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{PageError, render};
use crate::extract::Ctx;
use crate::shell::Shell;

#[derive(Template)]
#[template(path = "my_panels.html")]
struct MinePage {
    shell: Shell,
    mine: MyPanels,
}

/// `GET /panels`.
pub(crate) async fn mine(ctx: Ctx) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let mine = ctx
        .state
        .app
        .my_panels(caller)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&MinePage {
        shell: ctx.shell("panels"),
        mine,
    }))
}

/// The network list's query string (page and API); every part optional.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListParams {
    /// A panel state, e.g. `open` or `triage`.
    #[serde(default)]
    pub(crate) state: String,
    /// `routine` or `urgent`.
    #[serde(default)]
    pub(crate) urgency: String,
    /// A thematic area id of the network.
    #[serde(default)]
    pub(crate) area: String,
    /// The `next` cursor of the previous page.
    #[serde(default)]
    pub(crate) after: String,
}

impl ListParams {
    pub(crate) fn query(&self) -> ErnPanelQuery {
        ErnPanelQuery {
            state: self.state.clone(),
            urgency: self.urgency.clone(),
            area: self.area.clone(),
            after: self.after.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "ern_panels.html")]
struct ErnPage {
    shell: Shell,
    code: String,
    p: ListParams,
    l: ErnPanels,
    states: [PanelState; 9],
}

impl ErnPage {
    /// The next page's URL, keeping the filters.
    fn next_href(&self, after: &str) -> String {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("state", &self.p.state)
            .append_pair("urgency", &self.p.urgency)
            .append_pair("area", &self.p.area)
            .append_pair("after", after)
            .finish();
        format!("/erns/{}/panels?{query}", self.code)
    }
}

/// `GET /erns/{code}/panels`.
pub(crate) async fn ern(
    ctx: Ctx,
    Path(code): Path<String>,
    Query(p): Query<ListParams>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let l = ctx
        .state
        .app
        .ern_panels(caller, &code, &p.query())
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&ErnPage {
        shell: ctx.shell("ern"),
        code: l.ern.code.to_string(),
        p,
        l,
        states: PanelState::ALL,
    }))
}

#[derive(Template)]
#[template(path = "ern_triage.html")]
struct TriagePage {
    shell: Shell,
    code: String,
    queue: Vec<PanelSummary>,
}

/// `GET /erns/{code}/triage`.
pub(crate) async fn triage(ctx: Ctx, Path(code): Path<String>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let queue = ctx
        .state
        .app
        .triage_queue(caller, &code)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&TriagePage {
        shell: ctx.shell("ern"),
        code,
        queue,
    }))
}
