//! Notifications (issue 5 item 9): what a person is told, in the app's
//! notification centre and by e-mail, when something on a panel needs them.
//!
//! **No patient-identifying data.** A notification names a patient only by
//! pseudonym and a panel only by its reference, never by name, date of
//! birth, record number or free clinical text. Notifications leave the
//! system's protection by e-mail and stay in the centre as long as the
//! account, so they carry just enough to say what happened and where to
//! look; the link leads into the app, where access is decided by the
//! policy at the time of reading. The domain cannot recognise a name, so
//! the use cases that write notifications keep this rule (build the title
//! and text from the pseudonym and panel reference only); what is checked
//! here is the shape: a one-line title, a short text and a link that is a
//! path inside the app.
//!
//! **Urgent** notifications (about urgent panels) say so everywhere: the
//! e-mail subject and the API's headline start with [`URGENT_PREFIX`], and
//! pages (the centre, the bell's list) show a badge beside the plain title
//! rather than both.

mod delivery;
mod event;

pub use delivery::{DIGEST_HOUR_UTC, Delivery, Preferences, digest_cutoff};
pub use event::EventType;

use jiff::Timestamp;

use crate::ids::{NotificationId, UserId};
use crate::org::InvalidValue;

/// Put before the title of every urgent notification.
pub const URGENT_PREFIX: &str = "URGENT";

const TITLE_MAX: usize = 140;
const TEXT_MAX: usize = 600;
const LINK_MAX: usize = 400;

/// A notification as a use case writes it, before it is addressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub event: EventType,
    pub title: String,
    pub text: String,
    /// A path inside the app (`/panels/…`); e-mail makes it absolute.
    pub link: String,
    pub urgent: bool,
}

impl NewNotification {
    /// Checks the shape; see the module documentation for what may be said.
    pub fn new(
        event: EventType,
        title: &str,
        text: &str,
        link: &str,
    ) -> Result<Self, InvalidValue> {
        let title = title.trim();
        if title.is_empty()
            || title.chars().count() > TITLE_MAX
            || title.chars().any(char::is_control)
        {
            return Err(InvalidValue::new(
                "title",
                format!("one line of 1 to {TITLE_MAX} characters"),
            ));
        }
        let text = text.trim();
        if text.chars().count() > TEXT_MAX || text.chars().any(|c| c.is_control() && c != '\n') {
            return Err(InvalidValue::new(
                "text",
                format!("at most {TEXT_MAX} characters of plain text"),
            ));
        }
        Ok(Self {
            event,
            title: title.to_owned(),
            text: text.to_owned(),
            link: app_path(link)?,
            urgent: false,
        })
    }

    /// Marks it urgent (the panel is urgent).
    pub fn urgent(mut self, urgent: bool) -> Self {
        self.urgent = urgent;
        self
    }

    /// The stored notification for `recipient`, made at `now`.
    pub fn to(&self, recipient: UserId, now: Timestamp) -> Notification {
        Notification {
            id: NotificationId::new(),
            recipient,
            event: self.event,
            title: self.title.clone(),
            text: self.text.clone(),
            link: self.link.clone(),
            urgent: self.urgent,
            created_at: now,
            read_at: None,
        }
    }
}

/// One notification to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: NotificationId,
    pub recipient: UserId,
    pub event: EventType,
    pub title: String,
    pub text: String,
    pub link: String,
    pub urgent: bool,
    pub created_at: Timestamp,
    pub read_at: Option<Timestamp>,
}

impl Notification {
    /// The title for e-mail and the API: urgent ones start with
    /// [`URGENT_PREFIX`] (pages show a badge and the plain title).
    pub fn headline(&self) -> String {
        if self.urgent {
            format!("{URGENT_PREFIX}: {}", self.title)
        } else {
            self.title.clone()
        }
    }

    pub fn is_read(&self) -> bool {
        self.read_at.is_some()
    }
}

/// A link must stay inside the app: an absolute path, not a
/// protocol-relative `//host` or a `javascript:` URL, so a notification
/// can never send someone elsewhere.
fn app_path(link: &str) -> Result<String, InvalidValue> {
    let ok = link.starts_with('/')
        && !link.starts_with("//")
        && link.len() <= LINK_MAX
        && !link
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if ok {
        Ok(link.to_owned())
    } else {
        Err(InvalidValue::new(
            "link",
            "a path inside the app, starting with a single /",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_stay_inside_the_app() {
        let make = |link| NewNotification::new(EventType::Invitation, "Invited", "", link);
        assert!(make("/panels/P-2026-0001").is_ok());
        for bad in [
            "https://evil.example",
            "//evil.example/x",
            "javascript:alert(1)",
            "/a b",
            "/a\\b",
            "",
        ] {
            assert_eq!(make(bad).unwrap_err().field, "link", "{bad}");
        }
    }

    #[test]
    fn titles_are_one_short_line() {
        let make = |title: &str| NewNotification::new(EventType::Contribution, title, "", "/");
        assert!(make("Panel P-1: new contribution").is_ok());
        assert!(make("  ").is_err());
        assert!(make("two\r\nlines").is_err());
        assert!(make(&"x".repeat(141)).is_err());
    }

    #[test]
    fn urgent_ones_say_so_in_the_headline() {
        let note = NewNotification::new(EventType::PanelClosed, "Panel P-1 closed", "", "/p")
            .unwrap()
            .urgent(true)
            .to(UserId::new(), Timestamp::UNIX_EPOCH);
        assert_eq!(note.headline(), "URGENT: Panel P-1 closed");
        assert!(!note.is_read());
        let routine = NewNotification {
            urgent: false,
            ..NewNotification::new(EventType::PanelClosed, "Panel P-1 closed", "", "/p").unwrap()
        }
        .to(UserId::new(), Timestamp::UNIX_EPOCH);
        assert_eq!(routine.headline(), "Panel P-1 closed");
    }
}
