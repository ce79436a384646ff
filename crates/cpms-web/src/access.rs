//! Which policy actions guard each route: the list the route-coverage test
//! checks against `routes.rs` and `api.rs`, so that a new route cannot be
//! added without saying who may use it. Public routes are listed as such.

use cpms_domain::policy::Action;

/// How a route is guarded.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Access {
    /// Open to anyone: sign-in, sign-up, health checks, static files.
    Public,
    /// Any signed-in person: shared reference data such as terminologies.
    SignedIn,
    /// Decided by `cpms_domain::policy::can` with these actions.
    Policy(&'static [Action]),
}

/// DICOMweb reads: the record's readers, and members of a panel that shares
/// the study. (Stores under a record need `EditRecord` too; a store at the
/// global root is refused whoever asks.)
const DICOMWEB_READ: &[Action] = &[Action::ViewRecord, Action::ViewSharedRecord];

pub(crate) const ROUTE_ACCESS: &[(&str, Access)] = &[
    ("/dicomweb/studies", Access::Policy(DICOMWEB_READ)),
    ("/dicomweb/series", Access::Policy(DICOMWEB_READ)),
    ("/dicomweb/instances", Access::Policy(DICOMWEB_READ)),
    (
        "/dicomweb/studies/{study}/series",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/studies/{study}/instances",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/studies/{study}/series/{series}/instances",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/studies/{study}/metadata",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/studies/{study}/series/{series}/metadata",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/studies/{study}/series/{series}/instances/{instance}",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/studies/{study}/series/{series}/instances/{instance}/metadata",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/studies/{study}/series/{series}/instances/{instance}/rendered",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/studies/{study}/series/{series}/instances/{instance}/frames/{frame}/rendered",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/studies/{study}/series/{series}/thumbnail",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/patients/{pseudonym}/studies",
        Access::Policy(&[
            Action::ViewRecord,
            Action::ViewSharedRecord,
            Action::EditRecord,
        ]),
    ),
    (
        "/dicomweb/patients/{pseudonym}/series",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/patients/{pseudonym}/instances",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/patients/{pseudonym}/studies/{study}/series",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/patients/{pseudonym}/studies/{study}/instances",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/patients/{pseudonym}/studies/{study}/series/{series}/instances",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/patients/{pseudonym}/studies/{study}/metadata",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/patients/{pseudonym}/studies/{study}/series/{series}/metadata",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/patients/{pseudonym}/studies/{study}/series/{series}/instances/{instance}",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/patients/{pseudonym}/studies/{study}/series/{series}/instances/{instance}/metadata",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/patients/{pseudonym}/studies/{study}/series/{series}/instances/{instance}/rendered",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/patients/{pseudonym}/studies/{study}/series/{series}/instances/{instance}/frames/{frame}/rendered",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/dicomweb/patients/{pseudonym}/studies/{study}/series/{series}/thumbnail",
        Access::Policy(DICOMWEB_READ),
    ),
    (
        "/account/assistants",
        Access::Policy(&[Action::ManageOwnAccount, Action::NameAssistants]),
    ),
    (
        "/account/assistants/{id}/accept",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/account/assistants/{id}/remove",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/account/acting",
        Access::Policy(&[Action::ActForClinician, Action::ManageOwnAccount]),
    ),
    ("/", Access::Policy(&[Action::ManageOwnAccount])),
    ("/signin", Access::Public),
    ("/signout", Access::Policy(&[Action::ManageOwnAccount])),
    ("/ern/switch", Access::Policy(&[Action::ManageOwnAccount])),
    ("/erns/{code}", Access::Policy(&[Action::ViewErnDashboard])),
    (
        "/centres/{code}",
        Access::Policy(&[Action::ViewCentreDashboard]),
    ),
    ("/signup", Access::Public),
    ("/signin/second-factor", Access::Public),
    ("/signin/oidc", Access::Public),
    ("/signin/passkey", Access::Public),
    ("/signin/oidc/callback", Access::Public),
    (
        "/account/enrol",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/account/oidc/link",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/account/passkeys",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/account/passkeys/{id}/remove",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/account/passkeys/{id}/rename",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/account/recovery-codes",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/account/security",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/account/sessions",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/account/tokens",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/account/tokens/{id}/revoke",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/account/sessions/revoke-all",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/account/sessions/{id}/revoke",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    ("/account/totp", Access::Policy(&[Action::ManageOwnAccount])),
    (
        "/account/totp/new",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/admin/accounts/{username}",
        Access::Policy(&[Action::SuspendAccount, Action::ResetSecondFactor]),
    ),
    (
        "/admin/accounts/{username}/reset-second-factor",
        Access::Policy(&[Action::ResetSecondFactor]),
    ),
    (
        "/admin/accounts/{username}/suspend",
        Access::Policy(&[Action::SuspendAccount]),
    ),
    (
        "/api/v1/accounts/{username}/suspend",
        Access::Policy(&[Action::SuspendAccount]),
    ),
    (
        "/access-requests",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/erns/{code}/requests",
        Access::Policy(&[Action::DecideAccessRequests, Action::ManageMemberships]),
    ),
    (
        "/account/profile",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    ("/experts", Access::Policy(&[Action::ViewExpertDirectory])),
    (
        "/api/v1/experts",
        Access::Policy(&[Action::ViewExpertDirectory]),
    ),
    (
        "/erns/{code}/guests",
        Access::Policy(&[Action::ManageMemberships]),
    ),
    (
        "/erns/{code}/guests/{id}/extend",
        Access::Policy(&[Action::ManageMemberships]),
    ),
    (
        "/erns/{code}/guests/{id}/virtual-centre",
        Access::Policy(&[Action::ManageMemberships]),
    ),
    (
        "/centres/{code}/patients",
        Access::Policy(&[Action::ViewCentreDashboard]),
    ),
    (
        "/centres/{code}/patients/new",
        Access::Policy(&[Action::EnrolPatient]),
    ),
    (
        "/centres/{code}/patients/consent-form.pdf",
        Access::Policy(&[Action::EnrolPatient]),
    ),
    (
        "/patients/{pseudonym}",
        Access::Policy(&[Action::ViewRecord]),
    ),
    (
        "/patients/{pseudonym}/phenotypes",
        Access::Policy(&[Action::EditRecord]),
    ),
    (
        "/patients/{pseudonym}/diagnoses",
        Access::Policy(&[Action::EditRecord]),
    ),
    (
        "/patients/{pseudonym}/summary",
        Access::Policy(&[Action::EditRecord]),
    ),
    (
        "/patients/{pseudonym}/variants",
        Access::Policy(&[Action::EditRecord]),
    ),
    (
        "/patients/{pseudonym}/labs",
        Access::Policy(&[Action::EditRecord]),
    ),
    (
        "/patients/{pseudonym}/treatments",
        Access::Policy(&[Action::EditRecord]),
    ),
    (
        "/patients/{pseudonym}/history",
        Access::Policy(&[Action::ViewRecord]),
    ),
    (
        "/patients/{pseudonym}/pedigree",
        Access::Policy(&[Action::ViewRecord, Action::EditRecord]),
    ),
    (
        "/patients/{pseudonym}/pedigree.ped",
        Access::Policy(&[Action::ViewRecord]),
    ),
    (
        "/patients/{pseudonym}/fields",
        Access::Policy(&[Action::EditRecord]),
    ),
    (
        "/patients/{pseudonym}/attachments",
        Access::Policy(&[Action::EditRecord]),
    ),
    (
        "/patients/{pseudonym}/attachments/{id}",
        Access::Policy(&[Action::ViewRecord]),
    ),
    (
        "/patients/{pseudonym}/consents",
        Access::Policy(&[Action::EditRecord]),
    ),
    (
        "/patients/{pseudonym}/studies",
        Access::Policy(&[Action::EditRecord]),
    ),
    (
        "/studies/{study}",
        Access::Policy(&[Action::ViewRecord, Action::ViewSharedRecord]),
    ),
    (
        "/studies/{study}/viewer",
        Access::Policy(&[Action::ViewRecord, Action::ViewSharedRecord]),
    ),
    (
        "/studies/{study}/series/{series}/stack",
        Access::Policy(&[Action::ViewRecord, Action::ViewSharedRecord]),
    ),
    // Whoever may see the study may annotate it; removing is for the
    // author or an editor of the record (EditRecord).
    (
        "/studies/{study}/annotations",
        Access::Policy(&[Action::ViewRecord, Action::ViewSharedRecord]),
    ),
    (
        "/studies/{study}/annotations/{id}",
        Access::Policy(&[
            Action::ViewRecord,
            Action::ViewSharedRecord,
            Action::EditRecord,
        ]),
    ),
    (
        "/studies/{study}/series/{series}/thumbnail",
        Access::Policy(&[Action::ViewRecord, Action::ViewSharedRecord]),
    ),
    (
        "/studies/{study}/series/{series}/instances/{sop}/frames/{frame}/rendered",
        Access::Policy(&[Action::ViewRecord, Action::ViewSharedRecord]),
    ),
    (
        "/patients/{pseudonym}/withdraw-consent",
        Access::Policy(&[Action::EditRecord]),
    ),
    (
        "/patients/{pseudonym}/erase",
        Access::Policy(&[Action::ErasePatient]),
    ),
    (
        "/patients/{pseudonym}/export",
        Access::Policy(&[Action::ExportPatient]),
    ),
    (
        "/patients/{pseudonym}/consultation",
        Access::Policy(&[Action::RequestConsultation]),
    ),
    ("/panels", Access::Policy(&[Action::ManageOwnAccount])),
    ("/panels/{reference}", Access::Policy(&[Action::ViewPanel])),
    (
        "/panels/{reference}/request",
        Access::Policy(&[Action::SubmitConsultation]),
    ),
    (
        "/panels/{reference}/submit",
        Access::Policy(&[Action::SubmitConsultation]),
    ),
    (
        "/panels/{reference}/invite",
        Access::Policy(&[
            Action::InviteToPanel,
            Action::ViewExpertDirectory,
            Action::TriageConsultation,
        ]),
    ),
    (
        "/panels/{reference}/guests",
        Access::Policy(&[Action::InviteToPanel]),
    ),
    (
        "/panels/{reference}/invite-group",
        Access::Policy(&[Action::InviteToPanel]),
    ),
    // The link's token is the credential; the page creates the account.
    ("/guest-invitations/{token}", Access::Public),
    (
        "/panels/{reference}/answer",
        Access::Policy(&[Action::AnswerInvitation]),
    ),
    (
        "/panels/{reference}/posts",
        Access::Policy(&[Action::Contribute]),
    ),
    (
        "/panels/{reference}/steps",
        Access::Policy(&[
            Action::DraftOutcome,
            Action::ClosePanel,
            Action::ArchivePanel,
            Action::ReopenPanel,
            Action::CancelPanel,
        ]),
    ),
    (
        "/panels/{reference}/outcome",
        Access::Policy(&[Action::ViewSharedRecord, Action::DraftOutcome]),
    ),
    (
        "/panels/{reference}/outcome/sign-off",
        Access::Policy(&[Action::SignOffOutcome]),
    ),
    (
        "/panels/{reference}/outcome/{file}",
        Access::Policy(&[Action::ViewSharedRecord]),
    ),
    (
        "/panels/{reference}/attachments/{id}",
        Access::Policy(&[Action::ViewSharedRecord]),
    ),
    (
        "/panels/{reference}/meetings",
        Access::Policy(&[Action::ScheduleMeeting]),
    ),
    (
        "/panels/{reference}/meetings/new",
        Access::Policy(&[Action::ScheduleMeeting]),
    ),
    (
        "/panels/{reference}/meetings/{meeting}",
        Access::Policy(&[Action::ViewPanel, Action::ScheduleMeeting]),
    ),
    (
        "/panels/{reference}/meetings/{meeting}/cancel",
        Access::Policy(&[Action::ScheduleMeeting]),
    ),
    (
        "/panels/{reference}/meetings/{meeting}/minutes",
        Access::Policy(&[Action::ScheduleMeeting]),
    ),
    (
        "/panels/{reference}/return",
        Access::Policy(&[Action::TriageConsultation]),
    ),
    (
        "/erns/{code}/panels",
        Access::Policy(&[Action::ViewErnPanels]),
    ),
    (
        "/erns/{code}/triage",
        Access::Policy(&[Action::ViewErnPanels]),
    ),
    (
        "/notifications",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/notifications/stream",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/notifications/read-all",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/notifications/{id}/read",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/account/notifications",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/erns/{code}/expert-groups",
        Access::Policy(&[Action::ManageExpertGroups]),
    ),
    (
        "/erns/{code}/expert-groups/{id}",
        Access::Policy(&[Action::ManageExpertGroups]),
    ),
    (
        "/erns/{code}/expert-groups/{id}/rename",
        Access::Policy(&[Action::ManageExpertGroups]),
    ),
    (
        "/erns/{code}/expert-groups/{id}/delete",
        Access::Policy(&[Action::ManageExpertGroups]),
    ),
    (
        "/erns/{code}/expert-groups/{id}/members",
        Access::Policy(&[Action::ManageExpertGroups]),
    ),
    (
        "/erns/{code}/expert-groups/{id}/members/{user}/remove",
        Access::Policy(&[Action::ManageExpertGroups]),
    ),
    ("/help", Access::Public),
    ("/healthz", Access::Public),
    ("/readyz", Access::Public),
    ("/static/{file}", Access::Public),
    ("/api/v1/openapi.json", Access::Public),
    ("/api/v1/me", Access::Policy(&[Action::ManageOwnAccount])),
    ("/api/v1/terminology", Access::SignedIn),
    (
        "/api/v1/centres/{code}/patients",
        Access::Policy(&[Action::ViewCentreDashboard, Action::EnrolPatient]),
    ),
    (
        "/api/v1/patients/{pseudonym}",
        Access::Policy(&[Action::ViewRecord]),
    ),
    (
        "/api/v1/patients/{pseudonym}/phenotypes",
        Access::Policy(&[Action::EditRecord]),
    ),
    (
        "/api/v1/patients/{pseudonym}/diagnoses",
        Access::Policy(&[Action::EditRecord]),
    ),
    (
        "/api/v1/patients/{pseudonym}/summary",
        Access::Policy(&[Action::EditRecord]),
    ),
    (
        "/api/v1/patients/{pseudonym}/history",
        Access::Policy(&[Action::ViewRecord]),
    ),
    (
        "/api/v1/patients/{pseudonym}/consents",
        Access::Policy(&[Action::ViewRecord, Action::EditRecord]),
    ),
    (
        "/api/v1/patients/{pseudonym}/withdraw-consent",
        Access::Policy(&[Action::EditRecord]),
    ),
    (
        "/api/v1/patients/{pseudonym}/attachments",
        Access::Policy(&[Action::ViewRecord, Action::EditRecord]),
    ),
    (
        "/api/v1/patients/{pseudonym}/attachments/{id}",
        Access::Policy(&[Action::ViewRecord]),
    ),
    (
        "/api/v1/patients/{pseudonym}/pedigree",
        Access::Policy(&[Action::ViewRecord, Action::EditRecord]),
    ),
    (
        "/api/v1/patients/{pseudonym}/pedigree.ped",
        Access::Policy(&[Action::ViewRecord]),
    ),
    (
        "/api/v1/patients/{pseudonym}/pedigree.svg",
        Access::Policy(&[Action::ViewRecord]),
    ),
    (
        "/api/v1/patients/{pseudonym}/variants",
        Access::Policy(&[Action::ViewRecord, Action::EditRecord]),
    ),
    (
        "/api/v1/patients/{pseudonym}/labs",
        Access::Policy(&[Action::ViewRecord, Action::EditRecord]),
    ),
    (
        "/api/v1/patients/{pseudonym}/treatments",
        Access::Policy(&[Action::ViewRecord, Action::EditRecord]),
    ),
    (
        "/api/v1/patients/{pseudonym}/fields",
        Access::Policy(&[Action::ViewRecord, Action::EditRecord]),
    ),
    (
        "/api/v1/patients/{pseudonym}/erasure",
        Access::Policy(&[Action::ErasePatient]),
    ),
    (
        "/api/v1/patients/{pseudonym}/export",
        Access::Policy(&[Action::ExportPatient]),
    ),
    (
        "/api/v1/panels",
        Access::Policy(&[Action::ManageOwnAccount, Action::RequestConsultation]),
    ),
    (
        "/api/v1/panels/{reference}",
        Access::Policy(&[Action::ViewPanel]),
    ),
    (
        "/api/v1/panels/{reference}/shared",
        Access::Policy(&[Action::ViewSharedRecord]),
    ),
    (
        "/api/v1/panels/{reference}/shared/attachments/{id}",
        Access::Policy(&[Action::ViewSharedRecord]),
    ),
    (
        "/api/v1/panels/{reference}/submit",
        Access::Policy(&[Action::SubmitConsultation]),
    ),
    (
        "/api/v1/panels/{reference}/invitations",
        Access::Policy(&[Action::InviteToPanel]),
    ),
    (
        "/api/v1/panels/{reference}/group-invitations",
        Access::Policy(&[Action::InviteToPanel]),
    ),
    (
        "/api/v1/panels/{reference}/guest-invitations",
        Access::Policy(&[Action::InviteToPanel]),
    ),
    (
        "/api/v1/panels/{reference}/answer",
        Access::Policy(&[Action::AnswerInvitation]),
    ),
    (
        "/api/v1/panels/{reference}/posts",
        Access::Policy(&[Action::Contribute]),
    ),
    (
        "/api/v1/panels/{reference}/transitions",
        Access::Policy(&[
            Action::DraftOutcome,
            Action::ClosePanel,
            Action::ArchivePanel,
            Action::ReopenPanel,
            Action::CancelPanel,
        ]),
    ),
    (
        "/api/v1/panels/{reference}/forward",
        Access::Policy(&[Action::TriageConsultation]),
    ),
    (
        "/api/v1/panels/{reference}/return",
        Access::Policy(&[Action::TriageConsultation]),
    ),
    (
        "/api/v1/panels/{reference}/outcome",
        Access::Policy(&[Action::ViewSharedRecord]),
    ),
    (
        "/api/v1/panels/{reference}/outcome/draft",
        Access::Policy(&[Action::DraftOutcome]),
    ),
    (
        "/api/v1/panels/{reference}/outcome/sign-off",
        Access::Policy(&[Action::SignOffOutcome]),
    ),
    (
        "/api/v1/panels/{reference}/outcome/versions",
        Access::Policy(&[Action::ViewSharedRecord]),
    ),
    (
        "/api/v1/panels/{reference}/outcome/versions/{version}/pdf",
        Access::Policy(&[Action::ViewSharedRecord]),
    ),
    (
        "/api/v1/panels/{reference}/meetings",
        Access::Policy(&[Action::ViewPanel, Action::ScheduleMeeting]),
    ),
    (
        "/api/v1/panels/{reference}/meetings/{meeting}",
        Access::Policy(&[Action::ScheduleMeeting]),
    ),
    (
        "/api/v1/panels/{reference}/meetings/{meeting}/cancel",
        Access::Policy(&[Action::ScheduleMeeting]),
    ),
    (
        "/api/v1/panels/{reference}/meetings/{meeting}/minutes",
        Access::Policy(&[Action::ScheduleMeeting]),
    ),
    (
        "/api/v1/erns/{code}/panels",
        Access::Policy(&[Action::ViewErnPanels]),
    ),
    (
        "/api/v1/erns/{code}/triage",
        Access::Policy(&[Action::ViewErnPanels]),
    ),
    (
        "/api/v1/erns/{code}/expert-groups",
        Access::Policy(&[Action::ManageExpertGroups]),
    ),
    (
        "/api/v1/erns/{code}/expert-groups/{id}",
        Access::Policy(&[Action::ManageExpertGroups]),
    ),
    (
        "/api/v1/erns/{code}/expert-groups/{id}/members",
        Access::Policy(&[Action::ManageExpertGroups]),
    ),
    (
        "/api/v1/erns/{code}/expert-groups/{id}/members/{user}",
        Access::Policy(&[Action::ManageExpertGroups]),
    ),
    (
        "/api/v1/notifications",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/api/v1/notifications/unread-count",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/api/v1/notifications/read-all",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/api/v1/notifications/{id}/read",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
    (
        "/api/v1/notifications/preferences",
        Access::Policy(&[Action::ManageOwnAccount]),
    ),
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Paths of `.route("…"` calls in a source file (however rustfmt
    /// breaks the line), with a prefix.
    fn routes_in(source: &str, prefix: &str) -> BTreeSet<String> {
        source
            .split(".route(")
            .skip(1)
            .filter_map(|rest| rest.trim_start().strip_prefix('"')?.split('"').next())
            .map(|path| format!("{prefix}{path}"))
            .collect()
    }

    #[test]
    fn every_route_is_covered_by_the_access_table_and_nothing_else() {
        let mut routed = routes_in(include_str!("routes.rs"), "");
        assert!(
            include_str!("routes.rs").contains(".nest(\"/api/v1\", api::routes())"),
            "the API is nested where this test expects it"
        );
        routed.extend(routes_in(include_str!("api.rs"), "/api/v1"));
        let listed: BTreeSet<String> = ROUTE_ACCESS.iter().map(|(p, _)| (*p).to_owned()).collect();
        let uncovered: Vec<_> = routed.difference(&listed).collect();
        assert!(
            uncovered.is_empty(),
            "routes without an entry in ROUTE_ACCESS: {uncovered:?}"
        );
        let stale: Vec<_> = listed.difference(&routed).collect();
        assert!(
            stale.is_empty(),
            "ROUTE_ACCESS lists routes that do not exist: {stale:?}"
        );
        assert_eq!(listed.len(), ROUTE_ACCESS.len(), "each route listed once");
    }

    #[test]
    fn guarded_routes_name_their_actions() {
        for (path, access) in ROUTE_ACCESS {
            if let Access::Policy(actions) = access {
                assert!(!actions.is_empty(), "{path} is guarded by no action");
            }
        }
    }
}
