//! The expert profile page (one's own clinical focus) and the expert
//! directory that searches the profiles.

use askama::Template;
use axum::body::Bytes;
use axum::extract::Query;
use axum::response::Response;
use cpms_app::onboarding::{DirectoryChoices, Expert, ExpertQuery, ProfileChoices, ProfileForm};
use cpms_domain::onboarding::CaresFor;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{PageError, render};
use crate::extract::Ctx;
use crate::html::form::Fields;
use crate::shell::Shell;

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    shell: Shell,
    form: ProfileForm,
    c: ProfileChoices,
    cares_for: [CaresFor; 3],
    /// Whether a profile is saved: without one the user is not listed.
    saved: bool,
    notice: Option<String>,
    error: Option<String>,
}

pub(crate) async fn profile(ctx: Ctx) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let (saved, c) = ctx
        .state
        .app
        .my_profile(caller)
        .await
        .map_err(|e| ctx.fail(e))?;
    let form = saved
        .as_ref()
        .map_or_else(ProfileForm::default, |p| ProfileForm {
            cares_for: p.cares_for.as_str().to_owned(),
            profession: p.profession.clone(),
            areas: p.areas.iter().map(ToString::to_string).collect(),
            specialist_in: p.specialist_in.clone(),
        });
    profile_page(&ctx, form, c, saved.is_some(), None, None)
}

pub(crate) async fn save_profile(ctx: Ctx, body: Bytes) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let f = Fields::parse(&body);
    let form = ProfileForm {
        cares_for: f.one("cares_for").to_owned(),
        profession: f.one("profession").to_owned(),
        areas: f.all("areas"),
        specialist_in: f.one("specialist_in").to_owned(),
    };
    let app = &ctx.state.app;
    match app.save_profile(caller, &form).await {
        Ok(_) => {
            let (_, c) = app.my_profile(caller).await.map_err(|e| ctx.fail(e))?;
            let notice = "Saved. You are listed in the expert directory.".to_owned();
            profile_page(&ctx, form, c, true, Some(notice), None)
        }
        Err(err) if err.code == cpms_app::ErrorCode::Invalid => {
            let (saved, c) = app.my_profile(caller).await.map_err(|e| ctx.fail(e))?;
            profile_page(&ctx, form, c, saved.is_some(), None, Some(err.message))
        }
        Err(err) => Err(ctx.fail(err)),
    }
}

fn profile_page(
    ctx: &Ctx,
    form: ProfileForm,
    c: ProfileChoices,
    saved: bool,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    Ok(render(&ProfilePage {
        shell: ctx.shell("experts"),
        form,
        c,
        cares_for: CaresFor::ALL,
        saved,
        notice,
        error,
    }))
}

/// The directory's query string (page and API); every part optional.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DirectoryParams {
    /// ERN code, e.g. `ERN-RND`.
    #[serde(default)]
    pub(crate) ern: String,
    /// Thematic area id; its sub-areas match too.
    #[serde(default)]
    pub(crate) area: String,
    /// Profession code.
    #[serde(default)]
    pub(crate) profession: String,
    /// ISO country code of the hospital (or of a guest's working country).
    #[serde(default)]
    pub(crate) country: String,
    /// Free text over the focus text, thematic areas, name, profession and hospital.
    #[serde(default)]
    pub(crate) q: String,
}

impl DirectoryParams {
    pub(crate) fn query(&self) -> ExpertQuery {
        ExpertQuery {
            ern: self.ern.clone(),
            area: self.area.clone(),
            profession: self.profession.clone(),
            country: self.country.clone(),
            text: self.q.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "experts.html")]
struct DirectoryPage {
    shell: Shell,
    p: DirectoryParams,
    c: DirectoryChoices,
    experts: Vec<Expert>,
    error: Option<String>,
}

pub(crate) async fn directory(
    ctx: Ctx,
    Query(p): Query<DirectoryParams>,
) -> Result<Response, PageError> {
    let caller = ctx.signed_in()?;
    let app = &ctx.state.app;
    let c = app
        .directory_choices(caller)
        .await
        .map_err(|e| ctx.fail(e))?;
    let (experts, error) = match app.find_experts(caller, &p.query()).await {
        Ok(experts) => (experts, None),
        Err(err) if err.code == cpms_app::ErrorCode::Invalid => (Vec::new(), Some(err.message)),
        Err(err) => return Err(ctx.fail(err)),
    };
    Ok(render(&DirectoryPage {
        shell: ctx.shell("experts"),
        p,
        c,
        experts,
        error,
    }))
}
