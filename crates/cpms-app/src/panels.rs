//! Panels (PRODUCT.md §5): the consultation request and what it shares,
//! triage by the network, invitations, the discussion, the lifecycle steps
//! and the lists of panels. Every use case decides access through
//! `panel::attempt`/`panel::may` (policy, then lifecycle), audits refusals
//! and every read or write, and tells people what they should know: the
//! [`PanelEvent`]s it returns are delivered as notifications inside its
//! own transaction.

mod access;
pub(crate) use access::loaded;
mod demo;
mod demo_outcome;
mod discussion;
mod event;
mod groups;
mod guest_mail;
mod guests;
mod invite;
mod lists;
mod meeting_mail;
mod meetings;
mod outcome;
mod outcome_steps;
mod reminders;
mod request;
mod shared;
mod shared_files;
mod steps;
mod tell;
mod triage;
mod view;

pub use cpms_reports::video_link::VideoLinkTemplate;
pub use cpms_store::repo::expert_groups::{ExpertGroup, GroupMember};
pub use cpms_store::repo::panel_guests::GuestInvitation;
pub use cpms_store::repo::panel_meetings::StoredMeeting;
pub use cpms_store::repo::panel_outcomes::{StoredOutcome, StoredSignOff};
pub use cpms_store::repo::panels::{
    Member, PanelSummary, Post, Shares, StoredPanel, TransitionEntry,
};
pub use demo::DemoPanels;
pub use event::{Forwarding, MeetingChange, PanelEvent, PanelEventKind, Recipients};
pub use groups::{ExpertGroupView, ExpertGroups, GroupInvited};
pub use guests::{GuestInvitationView, GuestInvited, GuestJoined, GuestSignUpForm};
pub use invite::InviteChoices;
pub use lists::{ErnPanelQuery, ErnPanels, MyPanels, Waiting};
pub use meeting_mail::when as meeting_when;
pub use outcome::{
    DiagnosisRow, OutcomeForm, OutcomePdf, OutcomePermissions, OutcomeSaved, OutcomeView, Signer,
    VersionInfo,
};
pub use outcome_steps::field_label;
pub use request::{ConsultationForm, RequestChoices};
pub use shared::{SharedAttachment, SharedRecord};
pub use shared_files::SharedFile;
pub use view::{PanelPermissions, PanelView};
