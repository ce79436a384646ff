//! Notifications (issue 5 item 9): [`App::notify`] writes them inside the
//! transaction of the use case that causes them (the in-app row, and for
//! "immediately" an e-mail in the outbox); a person's centre lists, counts
//! and marks them read; preferences choose e-mail per kind of event; the
//! daily digest job gathers the rest; the hub tells open pages of this
//! process once a change is committed.

mod centre;
mod digest;
mod hub;
mod mail;
mod notify;
mod preferences;

pub use centre::{NotificationPage, NotificationSummary, PAGE_SIZE};
pub use hub::{FeedSignal, NotificationFeed, NotificationHub};
