//! The OpenAPI 3.1 description of the JSON API, generated from the
//! handlers' annotations so it cannot drift from the code.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "ERN-CPMS API", description = "JSON API of ERN-CPMS. Authenticate with a session cookie."),
    paths(
        super::me::get,
        super::terminology::search,
        super::accounts::suspend,
        super::patients::enrol,
        super::patients::list,
        super::patients::record,
        super::patients::add_phenotype,
        super::patients::add_diagnosis,
        super::patients::summary,
        super::patients::history,
        super::consents::list,
        super::consents::record,
        super::consents::withdraw,
        super::attachments::list,
        super::attachments::upload,
        super::attachments::download,
        super::pedigree::get,
        super::pedigree::put,
        super::pedigree::ped,
        super::pedigree::svg,
        super::record_entries::variants,
        super::record_entries::add_variant,
        super::record_entries::labs,
        super::record_entries::add_lab,
        super::record_entries::treatments,
        super::record_entries::add_treatment,
        super::template_fields::list,
        super::template_fields::set,
        super::erasure::erase,
        super::erasure::export,
        super::experts::search,
        super::panels::create,
        super::panels::mine,
        super::panels::get,
        super::panels::shared,
        super::panels::shared_file,
        super::panels::submit,
        super::panels::invite,
        super::panel_invitations::group,
        super::panel_invitations::guest,
        super::panels::answer,
        super::panels::post,
        super::panels::transition,
        super::panels::forward,
        super::panels::return_to_lead,
        super::panels::ern,
        super::panels::triage,
        super::expert_groups::list,
        super::expert_groups::create,
        super::expert_groups::get,
        super::expert_groups::rename,
        super::expert_groups::delete,
        super::expert_groups::add,
        super::expert_groups::remove,
        super::notifications::list,
        super::notifications::unread_count,
        super::notifications::mark_read,
        super::notifications::mark_all_read,
        super::notifications::preferences,
        super::notifications::set_preferences,
        super::panel_outcome::get,
        super::panel_outcome::versions,
        super::panel_outcome::put_draft,
        super::panel_outcome::sign_off,
        super::panel_outcome::pdf,
        super::panel_meetings::list,
        super::panel_meetings::schedule,
        super::panel_meetings::change,
        super::panel_meetings::cancel,
        super::panel_meetings::minutes,
        super::imaging_viewer::stack,
        super::imaging_viewer::list,
        super::imaging_viewer::add,
        super::imaging_viewer::remove,
    ),
    components(schemas(super::Problem)),
    tags(
        (name = "identity", description = "Who is signed in"),
        (name = "terminology", description = "HPO, ORPHA, OMIM and ICD-10 type-ahead"),
        (name = "experts", description = "The expert directory"),
        (name = "patients", description = "Enrolment, the clinician's patient list, the record and its history"),
        (name = "consents", description = "A patient's consents, withdrawal of care consent, erasure and the data-subject export"),
        (name = "attachments", description = "Files on the record: upload (raw body), list, download"),
        (name = "pedigree", description = "The family history as structured JSON, PED text and SVG"),
        (name = "record", description = "Genetics, laboratory results, treatments and the ERN's case-template fields"),
        (name = "panels", description = "Consultation requests, the shared record, invitations (experts, expert groups, guests by e-mail), discussion, lifecycle steps, triage and panel lists"),
        (name = "expert groups", description = "A network's named groups of experts, kept by its coordinators and panel managers"),
        (name = "notifications", description = "The caller's notification centre and e-mail preferences"),
        (name = "outcome", description = "The outcome document: draft, sign-off, versions and their PDFs"),
        (name = "meetings", description = "Panel meetings with calendar invitations by e-mail, and their minutes"),
        (name = "imaging", description = "The image viewer's series stacks and shared annotations, beside the study pages under /studies")
    )
)]
pub struct ApiDoc;

pub(crate) async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paths of `.route("…"` calls in a source file, with a prefix.
    fn routes_in(source: &str, prefix: &str) -> Vec<String> {
        source
            .split(".route(")
            .skip(1)
            .filter_map(|rest| rest.trim_start().strip_prefix('"')?.split('"').next())
            .map(|path| format!("{prefix}{path}"))
            .filter(|path| path.starts_with("/api/v1/"))
            .collect()
    }

    #[test]
    fn every_api_route_is_documented() {
        let doc = ApiDoc::openapi();
        let mut routed = routes_in(include_str!("../api.rs"), "/api/v1");
        routed.extend(routes_in(include_str!("../routes.rs"), ""));
        let undocumented: Vec<_> = routed
            .iter()
            .filter(|path| *path != "/api/v1/openapi.json")
            .filter(|path| !doc.paths.paths.contains_key(*path))
            .collect();
        assert!(
            undocumented.is_empty(),
            "API routes missing from the OpenAPI document: {undocumented:?}"
        );
        assert!(routed.len() > 40, "the routes were found: {routed:?}");
    }
}
