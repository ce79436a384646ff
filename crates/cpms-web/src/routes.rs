//! Every route of the HTTP surface, in one place. The policy-coverage test
//! reads this table: a route added here without a policy rule fails it.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::routing::{delete, get, post};
use cpms_app::App;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::html::{
    account, account_admin, api_tokens, assistants, attachments, auth, consents, erasure,
    expert_groups, experts, guest_signup, guests, help, notifications, oidc, panel_invite,
    panel_lists, panel_meetings, panel_outcome, panels, passkeys, patients, pedigree,
    record_entries, requests, second_factor, signup, studies, template_fields, viewer, workspace,
};
use crate::state::{AppState, WebConfig};
use crate::{api, assets, csrf, dicomweb, error, ops, rotation, security};

/// Largest request body outside uploads.
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Room for the multipart framing and the other fields of an upload form,
/// so that a file just over the limit gets the clear message of the upload
/// check rather than a bare 413.
const UPLOAD_OVERHEAD: usize = 1024 * 1024;

/// Routes that take files, with a body limit set by the attachment size
/// limit instead of [`BODY_LIMIT`].
fn upload_routes(state: &AppState) -> Router<AppState> {
    let limit = state.app.settings().attachment_max_bytes + UPLOAD_OVERHEAD;
    Router::new()
        .route(
            "/centres/{code}/patients/new",
            get(patients::enrol_form).post(patients::enrol),
        )
        .route(
            "/patients/{pseudonym}/attachments",
            post(attachments::upload),
        )
        .route_layer(DefaultBodyLimit::max(limit))
        .route_layer(RequestBodyLimitLayer::new(limit))
}

/// The API's upload, whose body is the file itself: read up to the
/// attachment size limit and no further, so that a larger file gets a
/// problem+json naming the limit rather than a bare 413. Outside the
/// `/api/v1` nest, whose body limit is [`BODY_LIMIT`].
fn api_upload_routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/patients/{pseudonym}/attachments",
            get(api::attachments::list).post(api::attachments::upload),
        )
        .route_layer(DefaultBodyLimit::max(
            state.app.settings().attachment_max_bytes,
        ))
}

/// Study uploads are as large as the imaging limit allows and may take
/// long on a slow link: their own body limit, and a timeout of an hour
/// instead of a minute. Their bodies stream to disk, never into memory.
const STUDY_UPLOAD_TIMEOUT: Duration = Duration::from_secs(3600);

fn study_upload_routes(state: &AppState) -> Router<AppState> {
    let imaging = &state.app.settings().imaging;
    let limit = usize::try_from(imaging.max_total_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(UPLOAD_OVERHEAD);
    Router::new()
        .route("/patients/{pseudonym}/studies", post(studies::upload))
        // STOW-RS streams like an upload; QIDO-RS shares its path.
        .route(
            "/dicomweb/patients/{pseudonym}/studies",
            get(dicomweb::search_studies).post(dicomweb::store),
        )
        .route_layer(DefaultBodyLimit::max(limit))
        .route_layer(RequestBodyLimitLayer::new(limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            STUDY_UPLOAD_TIMEOUT,
        ))
}

/// DICOMweb reads at the global root and every record's root (the same
/// handlers; see `dicomweb.rs`). Stores are in [`study_upload_routes`].
fn dicomweb_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/dicomweb/studies",
            get(dicomweb::search_studies).post(dicomweb::refuse_global_store),
        )
        .route(
            "/dicomweb/series",
            get(dicomweb::search_series),
        )
        .route(
            "/dicomweb/instances",
            get(dicomweb::search_instances),
        )
        .route(
            "/dicomweb/studies/{study}/series",
            get(dicomweb::search_series),
        )
        .route(
            "/dicomweb/studies/{study}/instances",
            get(dicomweb::search_instances),
        )
        .route(
            "/dicomweb/studies/{study}/series/{series}/instances",
            get(dicomweb::search_instances),
        )
        .route(
            "/dicomweb/studies/{study}/metadata",
            get(dicomweb::metadata),
        )
        .route(
            "/dicomweb/studies/{study}/series/{series}/metadata",
            get(dicomweb::metadata),
        )
        .route(
            "/dicomweb/studies/{study}/series/{series}/instances/{instance}",
            get(dicomweb::instance),
        )
        .route(
            "/dicomweb/studies/{study}/series/{series}/instances/{instance}/metadata",
            get(dicomweb::metadata),
        )
        .route(
            "/dicomweb/studies/{study}/series/{series}/instances/{instance}/rendered",
            get(dicomweb::rendered),
        )
        .route(
            "/dicomweb/studies/{study}/series/{series}/instances/{instance}/frames/{frame}/rendered",
            get(dicomweb::rendered),
        )
        .route(
            "/dicomweb/studies/{study}/series/{series}/thumbnail",
            get(dicomweb::thumbnail),
        )
        .route(
            "/dicomweb/patients/{pseudonym}/series",
            get(dicomweb::search_series),
        )
        .route(
            "/dicomweb/patients/{pseudonym}/instances",
            get(dicomweb::search_instances),
        )
        .route(
            "/dicomweb/patients/{pseudonym}/studies/{study}/series",
            get(dicomweb::search_series),
        )
        .route(
            "/dicomweb/patients/{pseudonym}/studies/{study}/instances",
            get(dicomweb::search_instances),
        )
        .route(
            "/dicomweb/patients/{pseudonym}/studies/{study}/series/{series}/instances",
            get(dicomweb::search_instances),
        )
        .route(
            "/dicomweb/patients/{pseudonym}/studies/{study}/metadata",
            get(dicomweb::metadata),
        )
        .route(
            "/dicomweb/patients/{pseudonym}/studies/{study}/series/{series}/metadata",
            get(dicomweb::metadata),
        )
        .route(
            "/dicomweb/patients/{pseudonym}/studies/{study}/series/{series}/instances/{instance}",
            get(dicomweb::instance),
        )
        .route(
            "/dicomweb/patients/{pseudonym}/studies/{study}/series/{series}/instances/{instance}/metadata",
            get(dicomweb::metadata),
        )
        .route(
            "/dicomweb/patients/{pseudonym}/studies/{study}/series/{series}/instances/{instance}/rendered",
            get(dicomweb::rendered),
        )
        .route(
            "/dicomweb/patients/{pseudonym}/studies/{study}/series/{series}/instances/{instance}/frames/{frame}/rendered",
            get(dicomweb::rendered),
        )
        .route(
            "/dicomweb/patients/{pseudonym}/studies/{study}/series/{series}/thumbnail",
            get(dicomweb::thumbnail),
        )
}

pub fn router(app: App, config: WebConfig) -> Router {
    let state = AppState {
        app,
        config: Arc::new(config),
    };
    Router::new()
        .route("/", get(workspace::home))
        .route("/signin", get(auth::form).post(auth::submit))
        .route("/signout", post(auth::sign_out))
        .route("/signin/passkey", post(auth::passkey))
        .route("/signin/oidc", get(oidc::start))
        .route("/signin/oidc/callback", get(oidc::callback))
        .route(
            "/signin/second-factor",
            get(second_factor::form).post(second_factor::submit),
        )
        .route("/account/enrol", get(account::enrol))
        .route("/account/totp/new", get(account::enrol))
        .route("/account/totp", post(account::confirm_totp))
        .route("/account/security", get(account::security))
        .route("/account/oidc/link", get(oidc::link))
        .route("/account/passkeys", post(passkeys::register))
        .route("/account/passkeys/{id}/rename", post(passkeys::rename))
        .route("/account/passkeys/{id}/remove", post(passkeys::remove))
        .route(
            "/account/recovery-codes",
            post(account::regenerate_recovery_codes),
        )
        .route("/account/sessions", get(account::sessions))
        .route(
            "/account/tokens",
            get(api_tokens::list).post(api_tokens::create),
        )
        .route("/account/tokens/{id}/revoke", post(api_tokens::revoke))
        .route(
            "/account/sessions/{id}/revoke",
            post(account::revoke_session),
        )
        .route(
            "/account/sessions/revoke-all",
            post(account::sign_out_everywhere),
        )
        .route("/admin/accounts/{username}", get(account_admin::page))
        .route(
            "/admin/accounts/{username}/suspend",
            post(account_admin::suspend),
        )
        .route(
            "/admin/accounts/{username}/reset-second-factor",
            post(account_admin::reset_second_factor),
        )
        .route("/ern/switch", post(workspace::switch_ern))
        .route("/erns/{code}", get(workspace::ern))
        .route("/centres/{code}", get(workspace::centre))
        .route("/signup", get(signup::start).post(signup::submit))
        .route(
            "/access-requests",
            get(requests::mine).post(requests::request_role),
        )
        .route(
            "/erns/{code}/requests",
            get(requests::queue).post(requests::decide),
        )
        .route(
            "/account/profile",
            get(experts::profile).post(experts::save_profile),
        )
        .route("/experts", get(experts::directory))
        .route(
            "/account/assistants",
            get(assistants::page).post(assistants::name),
        )
        .route("/account/assistants/{id}/accept", post(assistants::accept))
        .route("/account/assistants/{id}/remove", post(assistants::remove))
        .route("/account/acting", post(assistants::act_for))
        .route("/erns/{code}/guests", get(guests::list))
        .route("/erns/{code}/guests/{id}/extend", post(guests::extend))
        .route(
            "/erns/{code}/guests/{id}/virtual-centre",
            post(guests::virtual_centre),
        )
        .route("/centres/{code}/patients", get(patients::list))
        .route(
            "/centres/{code}/patients/consent-form.pdf",
            get(patients::consent_form),
        )
        .route("/patients/{pseudonym}", get(patients::record))
        .route(
            "/patients/{pseudonym}/phenotypes",
            post(patients::add_phenotype),
        )
        .route(
            "/patients/{pseudonym}/diagnoses",
            post(patients::add_diagnosis),
        )
        .route("/patients/{pseudonym}/summary", post(patients::summary))
        .route(
            "/patients/{pseudonym}/variants",
            post(record_entries::add_variant),
        )
        .route("/patients/{pseudonym}/labs", post(record_entries::add_lab))
        .route(
            "/patients/{pseudonym}/treatments",
            post(record_entries::add_treatment),
        )
        .route("/patients/{pseudonym}/history", get(patients::history))
        .route("/patients/{pseudonym}/consents", post(consents::record))
        .route(
            "/patients/{pseudonym}/pedigree",
            get(pedigree::editor).post(pedigree::edit),
        )
        .route("/patients/{pseudonym}/pedigree.ped", get(pedigree::ped))
        .route("/patients/{pseudonym}/fields", post(template_fields::set))
        .route(
            "/patients/{pseudonym}/attachments/{id}",
            get(attachments::download),
        )
        .route(
            "/patients/{pseudonym}/withdraw-consent",
            post(erasure::withdraw),
        )
        .route("/patients/{pseudonym}/erase", post(erasure::erase))
        .route("/patients/{pseudonym}/export", get(erasure::export))
        .route(
            "/patients/{pseudonym}/consultation",
            get(panels::new_request).post(panels::create_request),
        )
        .route("/panels", get(panel_lists::mine))
        .route("/panels/{reference}", get(panels::page))
        .route(
            "/panels/{reference}/request",
            get(panels::edit_request).post(panels::save_request),
        )
        .route(
            "/panels/{reference}/attachments/{id}",
            get(attachments::panel_download),
        )
        .route("/panels/{reference}/submit", post(panels::submit))
        .route(
            "/panels/{reference}/invite",
            get(panel_invite::page).post(panel_invite::invite),
        )
        .route(
            "/panels/{reference}/guests",
            post(panel_invite::invite_guest),
        )
        .route(
            "/panels/{reference}/invite-group",
            post(panel_invite::invite_group),
        )
        .route(
            "/guest-invitations/{token}",
            get(guest_signup::page).post(guest_signup::submit),
        )
        .route("/panels/{reference}/answer", post(panels::answer))
        .route("/panels/{reference}/posts", post(panels::post))
        .route("/panels/{reference}/steps", post(panels::step))
        .route(
            "/panels/{reference}/outcome",
            get(panel_outcome::page).post(panel_outcome::save),
        )
        .route(
            "/panels/{reference}/outcome/sign-off",
            post(panel_outcome::sign_off),
        )
        .route(
            "/panels/{reference}/outcome/{file}",
            get(panel_outcome::pdf),
        )
        .route(
            "/panels/{reference}/meetings",
            post(panel_meetings::schedule),
        )
        .route("/panels/{reference}/meetings/new", get(panel_meetings::new))
        .route(
            "/panels/{reference}/meetings/{meeting}",
            get(panel_meetings::page).post(panel_meetings::change),
        )
        .route(
            "/panels/{reference}/meetings/{meeting}/cancel",
            post(panel_meetings::cancel),
        )
        .route(
            "/panels/{reference}/meetings/{meeting}/minutes",
            post(panel_meetings::minutes),
        )
        .route("/panels/{reference}/return", post(panels::return_request))
        .route("/erns/{code}/panels", get(panel_lists::ern))
        .route("/erns/{code}/triage", get(panel_lists::triage))
        .route("/notifications", get(notifications::centre))
        .route("/notifications/stream", get(notifications::stream))
        .route(
            "/notifications/read-all",
            post(notifications::mark_all_read),
        )
        .route("/notifications/{id}/read", post(notifications::mark_read))
        .route(
            "/account/notifications",
            get(notifications::preferences).post(notifications::save_preferences),
        )
        .route(
            "/erns/{code}/expert-groups",
            get(expert_groups::list).post(expert_groups::create),
        )
        .route("/erns/{code}/expert-groups/{id}", get(expert_groups::page))
        .route(
            "/erns/{code}/expert-groups/{id}/rename",
            post(expert_groups::rename),
        )
        .route(
            "/erns/{code}/expert-groups/{id}/delete",
            post(expert_groups::delete),
        )
        .route(
            "/erns/{code}/expert-groups/{id}/members",
            post(expert_groups::add),
        )
        .route(
            "/erns/{code}/expert-groups/{id}/members/{user}/remove",
            post(expert_groups::remove),
        )
        .route("/help", get(help::page))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/studies/{study}", get(studies::page))
        .route("/studies/{study}/viewer", get(viewer::page))
        .route(
            "/studies/{study}/series/{series}/stack",
            get(api::imaging_viewer::stack),
        )
        .route(
            "/studies/{study}/annotations",
            get(api::imaging_viewer::list).post(api::imaging_viewer::add),
        )
        .route(
            "/studies/{study}/annotations/{id}",
            delete(api::imaging_viewer::remove),
        )
        .route(
            "/studies/{study}/series/{series}/thumbnail",
            get(studies::thumbnail),
        )
        .route(
            "/studies/{study}/series/{series}/instances/{sop}/frames/{frame}/rendered",
            get(studies::frame),
        )
        .route("/static/{file}", get(assets::serve))
        .nest("/api/v1", api::routes())
        .merge(dicomweb_routes())
        .route_layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .merge(upload_routes(&state))
        .merge(api_upload_routes(&state))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(60),
        ))
        .merge(study_upload_routes(&state))
        .fallback(workspace::not_found)
        .layer(from_fn_with_state(state.clone(), rotation::carry))
        .layer(from_fn_with_state(state.clone(), csrf::protect))
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::custom(error::panic_page))
        .layer(from_fn_with_state(state.clone(), security::headers))
        .with_state(state)
}
