//! E-mail as the system sends it: one message, in plain text and HTML,
//! optionally carrying a meeting invitation.

use crate::ids::MailId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub id: MailId,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// An iCalendar object (RFC 5545, with its METHOD) sent as the
    /// message's calendar part and as an `invite.ics` attachment, so mail
    /// programs offer to add the meeting.
    pub calendar: Option<String>,
    /// Failed deliveries so far.
    pub attempts: i64,
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            super::html_escape("<b>Tom & \"Jerry\"</b>"),
            "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;"
        );
    }
}
