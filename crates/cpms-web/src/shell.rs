//! What the common layout shows: the training banner, the user's name,
//! role and hospital (and whom an assistant acts for), the notification bell, the ERN switcher and the `Centre | ERN | Help` links.

use cpms_app::Caller;
use cpms_domain::policy::{Action, Resource, can};

use crate::assets;
use crate::state::AppState;

pub(crate) struct Shell {
    pub training: bool,
    pub user: Option<ShellUser>,
    pub csrf: String,
    /// Which navigation entry is current: `centre`, `ern`, `help`, `signin` or ``.
    pub section: &'static str,
    pub css_href: String,
    pub js_href: String,
    pub version: &'static str,
}

pub(crate) struct ShellUser {
    pub name: String,
    pub role: String,
    pub hospital: String,
    pub erns: Vec<ErnOption>,
    pub centre_href: Option<String>,
    pub ern_href: Option<String>,
    /// The clinician an assistant is acting for.
    pub acting_for: Option<String>,
    /// Unread notifications (the bell; kept current by the live stream).
    pub unread: i64,
}

pub(crate) struct ErnOption {
    pub code: String,
    pub selected: bool,
}

impl Shell {
    pub fn new(
        state: &AppState,
        caller: Option<&Caller>,
        unread: i64,
        csrf: &str,
        section: &'static str,
    ) -> Self {
        Self {
            training: state.config.training,
            user: caller.map(|c| shell_user(c, unread)),
            csrf: csrf.to_owned(),
            section,
            css_href: assets::href("cpms.css"),
            js_href: assets::href("cpms.js"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

fn shell_user(caller: &Caller, unread: i64) -> ShellUser {
    let working = caller.working_ern();
    let in_working: Vec<_> = caller
        .active_memberships()
        .filter(|m| Some(&m.ern) == working.as_ref())
        .collect();
    let actor = caller.actor();
    // The centre link goes to the first hospital of the working ERN whose
    // workspace the policy opens to the caller.
    let centre = in_working
        .iter()
        .find(|m| can(&actor, Action::ViewCentreDashboard, Resource::Centre(m.hcp)).is_allowed())
        .map(|m| format!("/centres/{}", m.hcp_code));
    let (role, hospital) = match in_working.first() {
        Some(m) => (
            m.role.label().to_owned(),
            format!("{} {}", m.hcp_code, m.hcp_name),
        ),
        None if caller.user.administrator => ("Administrator".to_owned(), String::new()),
        None => ("No approved role yet".to_owned(), String::new()),
    };
    ShellUser {
        name: caller.user.display_name.clone(),
        role,
        hospital,
        erns: caller
            .erns()
            .into_iter()
            .map(|e| ErnOption {
                selected: Some(&e) == working.as_ref(),
                code: e.to_string(),
            })
            .collect(),
        centre_href: centre,
        ern_href: working.map(|e| format!("/erns/{e}")),
        acting_for: caller.on_behalf_of.as_ref().map(|o| o.name.clone()),
        unread,
    }
}
