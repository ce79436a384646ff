//! Panels (PRODUCT.md §5): the lifecycle of a consultation request and the
//! roles people hold on a panel. Who may perform a step is decided by the
//! access policy (`policy::can` with `Resource::Panel`); which steps a
//! panel's state allows is decided here. `attempt` joins the two, so a use
//! case asks one question. The outcome document the panel issues is in
//! [`outcome`].

pub use kind::{PanelType, Urgency};
pub use lifecycle::{Activity, LifecycleError, Transition};
pub use outcome::{OutcomeDocument, OutcomeDraft};
pub use post::PostKind;
pub use role::PanelRole;
pub use share::{SharedSection, shared_part};
pub use state::PanelState;

mod kind;
mod lifecycle;
pub mod meeting;
pub mod mention;
pub mod outcome;
mod post;
pub mod request;
mod role;
mod share;
mod state;

#[cfg(test)]
mod tests;

use crate::policy::{self, Actor, DenyReason, Resource};

/// Why a step on a panel was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PanelRefusal {
    /// The actor may not take this step on this panel.
    #[error("{}", .0.as_str())]
    Denied(DenyReason),
    /// The actor may, but not while the panel is in this state.
    #[error(transparent)]
    Lifecycle(#[from] LifecycleError),
}

/// Whether `actor` may make `transition` on a panel in `state`, and the
/// state it leads to. Permission is checked first, so people without
/// access learn nothing about the panel's state.
pub fn attempt(
    actor: &Actor,
    resource: Resource<'_>,
    state: PanelState,
    transition: Transition,
) -> Result<PanelState, PanelRefusal> {
    match policy::can(actor, transition.action(), resource) {
        policy::Decision::Allow => Ok(transition.apply(state)?),
        policy::Decision::Deny(reason) => Err(PanelRefusal::Denied(reason)),
    }
}

/// Whether `actor` may do `activity` (work that leaves the state as it
/// is) on a panel in `state`.
pub fn may(
    actor: &Actor,
    resource: Resource<'_>,
    state: PanelState,
    activity: Activity,
) -> Result<(), PanelRefusal> {
    match policy::can(actor, activity.action(), resource) {
        policy::Decision::Allow => Ok(activity.check(state)?),
        policy::Decision::Deny(reason) => Err(PanelRefusal::Denied(reason)),
    }
}
