//! The JSON API for programs, under `/api/v1`, described by the OpenAPI
//! document at `/api/v1/openapi.json`. Errors are RFC 9457 problem+json
//! carrying the application's stable error code.

mod accounts;
pub(crate) mod attachments;
mod caller;
mod consents;
mod erasure;
mod expert_groups;
mod experts;
pub(crate) mod imaging_viewer;
mod json_body;
mod me;
mod notifications;
mod openapi;
mod panel_invitations;
mod panel_meetings;
mod panel_outcome;
mod panels;
mod patients;
mod pedigree;
mod problem;
mod record_entries;
mod template_fields;
mod terminology;

use axum::Router;
use axum::routing::{delete, get, post, put};

pub(crate) use caller::ApiCaller;
pub use openapi::ApiDoc;
pub(crate) use problem::Problem;

use crate::state::AppState;

/// The routes under `/api/v1`.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/me", get(me::get))
        .route("/terminology", get(terminology::search))
        .route("/experts", get(experts::search))
        .route("/accounts/{username}/suspend", post(accounts::suspend))
        .route(
            "/centres/{code}/patients",
            get(patients::list).post(patients::enrol),
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
        .route("/patients/{pseudonym}/summary", put(patients::summary))
        .route("/patients/{pseudonym}/history", get(patients::history))
        .route(
            "/patients/{pseudonym}/consents",
            get(consents::list).post(consents::record),
        )
        .route(
            "/patients/{pseudonym}/withdraw-consent",
            post(consents::withdraw),
        )
        .route(
            "/patients/{pseudonym}/attachments/{id}",
            get(attachments::download),
        )
        .route(
            "/patients/{pseudonym}/pedigree",
            get(pedigree::get).put(pedigree::put),
        )
        .route("/patients/{pseudonym}/pedigree.ped", get(pedigree::ped))
        .route("/patients/{pseudonym}/pedigree.svg", get(pedigree::svg))
        .route(
            "/patients/{pseudonym}/variants",
            get(record_entries::variants).post(record_entries::add_variant),
        )
        .route(
            "/patients/{pseudonym}/labs",
            get(record_entries::labs).post(record_entries::add_lab),
        )
        .route(
            "/patients/{pseudonym}/treatments",
            get(record_entries::treatments).post(record_entries::add_treatment),
        )
        .route(
            "/patients/{pseudonym}/fields",
            get(template_fields::list).post(template_fields::set),
        )
        .route("/patients/{pseudonym}/erasure", post(erasure::erase))
        .route("/patients/{pseudonym}/export", get(erasure::export))
        .route("/panels", get(panels::mine).post(panels::create))
        .route("/panels/{reference}", get(panels::get))
        .route("/panels/{reference}/shared", get(panels::shared))
        .route(
            "/panels/{reference}/shared/attachments/{id}",
            get(panels::shared_file),
        )
        .route("/panels/{reference}/submit", post(panels::submit))
        .route("/panels/{reference}/invitations", post(panels::invite))
        .route(
            "/panels/{reference}/group-invitations",
            post(panel_invitations::group),
        )
        .route(
            "/panels/{reference}/guest-invitations",
            post(panel_invitations::guest),
        )
        .route("/panels/{reference}/answer", post(panels::answer))
        .route("/panels/{reference}/posts", post(panels::post))
        .route("/panels/{reference}/transitions", post(panels::transition))
        .route("/panels/{reference}/forward", post(panels::forward))
        .route("/panels/{reference}/return", post(panels::return_to_lead))
        .route("/panels/{reference}/outcome", get(panel_outcome::get))
        .route(
            "/panels/{reference}/outcome/draft",
            put(panel_outcome::put_draft),
        )
        .route(
            "/panels/{reference}/outcome/sign-off",
            post(panel_outcome::sign_off),
        )
        .route(
            "/panels/{reference}/outcome/versions",
            get(panel_outcome::versions),
        )
        .route(
            "/panels/{reference}/outcome/versions/{version}/pdf",
            get(panel_outcome::pdf),
        )
        .route(
            "/panels/{reference}/meetings",
            get(panel_meetings::list).post(panel_meetings::schedule),
        )
        .route(
            "/panels/{reference}/meetings/{meeting}",
            put(panel_meetings::change),
        )
        .route(
            "/panels/{reference}/meetings/{meeting}/cancel",
            post(panel_meetings::cancel),
        )
        .route(
            "/panels/{reference}/meetings/{meeting}/minutes",
            put(panel_meetings::minutes),
        )
        .route("/erns/{code}/panels", get(panels::ern))
        .route("/erns/{code}/triage", get(panels::triage))
        .route(
            "/erns/{code}/expert-groups",
            get(expert_groups::list).post(expert_groups::create),
        )
        .route(
            "/erns/{code}/expert-groups/{id}",
            get(expert_groups::get)
                .put(expert_groups::rename)
                .delete(expert_groups::delete),
        )
        .route(
            "/erns/{code}/expert-groups/{id}/members",
            post(expert_groups::add),
        )
        .route(
            "/erns/{code}/expert-groups/{id}/members/{user}",
            delete(expert_groups::remove),
        )
        .route("/notifications", get(notifications::list))
        .route(
            "/notifications/unread-count",
            get(notifications::unread_count),
        )
        .route(
            "/notifications/read-all",
            post(notifications::mark_all_read),
        )
        .route("/notifications/{id}/read", post(notifications::mark_read))
        .route(
            "/notifications/preferences",
            get(notifications::preferences).put(notifications::set_preferences),
        )
        .fallback(problem::no_such_endpoint)
}
