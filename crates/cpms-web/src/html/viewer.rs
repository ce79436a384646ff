//! The image viewer page: the study's series with thumbnails, and the
//! stage `viewer.js` drives (frames, window, zoom, measurements and
//! annotations through the viewer's JSON in `api::imaging_viewer`).

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use cpms_app::imaging::StudyDetail;

use crate::assets;
use crate::error::{PageError, render};
use crate::extract::Ctx;
use crate::shell::Shell;

#[derive(Template)]
#[template(path = "viewer.html")]
struct ViewerPage {
    shell: Shell,
    d: StudyDetail,
    viewer_js: String,
}

/// `GET /studies/{study}/viewer`.
pub(crate) async fn page(ctx: Ctx, Path(study): Path<String>) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let d = ctx
        .state
        .app
        .study_series(caller, &study)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(render(&ViewerPage {
        shell: ctx.shell("centre"),
        d,
        viewer_js: assets::href("viewer.js"),
    }))
}
