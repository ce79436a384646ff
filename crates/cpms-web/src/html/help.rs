//! The help page.

use askama::Template;
use axum::response::Response;
use cpms_domain::org::Role;

use crate::error::render;
use crate::extract::Ctx;
use crate::shell::Shell;

#[derive(Template)]
#[template(path = "help.html")]
struct HelpPage {
    shell: Shell,
    roles: Vec<(&'static str, &'static str)>,
}

fn what(role: Role) -> &'static str {
    match role {
        Role::Hp => "enrols patients, opens and leads panels, contributes when invited",
        Role::Coordinator => {
            "everything a healthcare professional does, plus approving access, triage and indicators"
        }
        Role::Dispatcher => "triages and forwards consultation requests for the coordinator",
        Role::PanelManagerErn => "helps panel leads of the network invite, schedule and chase",
        Role::PanelManagerHcp => "helps panel leads of the hospital invite, schedule and chase",
        Role::Researcher => "queries anonymised aggregates; never sees a patient or a panel",
        Role::RegistryUser => "exports the registry data set of patients who consented",
        Role::GuestConsult => {
            "clinician outside member hospitals; contributes to panels they are invited to"
        }
        Role::GuestVirtualCentre => {
            "a guest who may also enrol patients in the network's Guest Virtual Centre"
        }
        Role::Assistant => "works for named clinicians of the same hospital, on their behalf",
    }
}

pub(crate) async fn page(ctx: Ctx) -> Response {
    let roles = Role::ALL
        .into_iter()
        .map(|r| (r.label(), what(r)))
        .collect();
    render(&HelpPage {
        shell: ctx.shell("help"),
        roles,
    })
}
