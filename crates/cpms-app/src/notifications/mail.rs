//! The e-mail forms of notifications: one message per notification
//! ("immediately"), or one digest a day. Links are absolute, on the
//! server's origin (`public_url`, else the local address).

use cpms_domain::ids::MailId;
use cpms_domain::mail::{Mail, html_escape};
use cpms_domain::notification::Notification;
use cpms_domain::user::User;

const SIGNATURE: &str =
    "ERN-CPMS, Clinical Patient Management System of the European Reference Networks";
const PREFERENCES_PATH: &str = "/account/notifications";

fn absolute(origin: &str, path: &str) -> String {
    format!("{}{path}", origin.trim_end_matches('/'))
}

fn footer_text(origin: &str, why: &str) -> String {
    format!(
        "{why} Choose how you are told at {}.\n\n{SIGNATURE}\n",
        absolute(origin, PREFERENCES_PATH)
    )
}

fn footer_html(origin: &str, why: &str) -> String {
    let prefs = html_escape(&absolute(origin, PREFERENCES_PATH));
    format!(
        "<p style=\"color:#555;font-size:small\">{} <a href=\"{prefs}\">Choose how you are told</a>.</p><p>{SIGNATURE}</p>",
        html_escape(why)
    )
}

/// One notification, sent as it happens.
pub(super) fn single(user: &User, note: &Notification, origin: &str) -> Mail {
    let link = absolute(origin, &note.link);
    let headline = note.headline();
    let why = format!(
        "You get this e-mail because \"{}\" is set to be sent immediately.",
        note.event.label()
    );
    let text_part = if note.text.is_empty() {
        String::new()
    } else {
        format!("{}\n\n", note.text)
    };
    let body_text = format!(
        "Dear {},\n\n{headline}\n\n{text_part}Open it in ERN-CPMS: {link}\n\n{}",
        user.display_name,
        footer_text(origin, &why)
    );
    let urgent_badge = if note.urgent {
        "<p><strong style=\"color:#fff;background:#b00020;padding:2px 6px\">URGENT</strong></p>"
    } else {
        ""
    };
    let body_html = format!(
        "<!doctype html><html><body><p>Dear {},</p>{urgent_badge}<p><strong>{}</strong></p><p>{}</p><p><a href=\"{}\">Open it in ERN-CPMS</a></p>{}</body></html>",
        html_escape(&user.display_name),
        html_escape(&headline),
        html_escape(&note.text).replace('\n', "<br>"),
        html_escape(&link),
        footer_html(origin, &why)
    );
    Mail {
        id: MailId::new(),
        recipient: user.email.clone(),
        subject: headline,
        body_text,
        body_html,
        calendar: None,
        attempts: 0,
    }
}

/// The day's digest: every notification still unread, oldest first.
pub(super) fn digest(user: &User, notes: &[Notification], origin: &str) -> Mail {
    let urgent = notes.iter().filter(|n| n.urgent).count();
    let subject = match (notes.len(), urgent) {
        (1, 0) => "ERN-CPMS: 1 notification today".to_owned(),
        (n, 0) => format!("ERN-CPMS: {n} notifications today"),
        (n, u) => format!("ERN-CPMS: {n} notifications today ({u} URGENT)"),
    };
    let why =
        "You get this daily digest because some kinds of notification are set to \"Daily digest\".";
    let mut items_text = String::new();
    let mut items_html = String::new();
    for note in notes {
        let link = absolute(origin, &note.link);
        items_text.push_str(&format!("- {}\n", note.headline()));
        if !note.text.is_empty() {
            items_text.push_str(&format!("  {}\n", note.text.replace('\n', "\n  ")));
        }
        items_text.push_str(&format!("  {link}\n\n"));
        items_html.push_str(&format!(
            "<li><a href=\"{}\"><strong>{}</strong></a><br>{}</li>",
            html_escape(&link),
            html_escape(&note.headline()),
            html_escape(&note.text).replace('\n', "<br>")
        ));
    }
    let centre = absolute(origin, "/notifications");
    let body_text = format!(
        "Dear {},\n\nWhat happened since your last digest:\n\n{items_text}All your notifications: {centre}\n\n{}",
        user.display_name,
        footer_text(origin, why)
    );
    let body_html = format!(
        "<!doctype html><html><body><p>Dear {},</p><p>What happened since your last digest:</p><ul>{items_html}</ul><p><a href=\"{}\">All your notifications</a></p>{}</body></html>",
        html_escape(&user.display_name),
        html_escape(&centre),
        footer_html(origin, why)
    );
    Mail {
        id: MailId::new(),
        recipient: user.email.clone(),
        subject,
        body_text,
        body_html,
        calendar: None,
        attempts: 0,
    }
}
