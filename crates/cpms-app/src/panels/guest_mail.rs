//! The two messages of an invitation by e-mail: to someone without an
//! account (a single-use sign-up link) and to someone who has one (sign in
//! and answer on the panel's page). Plain text and HTML, no patient data.

use cpms_domain::ids::MailId;
use cpms_domain::mail::{Mail, html_escape};
use jiff::Timestamp;

/// What both messages say about the panel.
pub(crate) struct About<'a> {
    pub guest: &'a str,
    pub email: &'a str,
    pub inviter: &'a str,
    pub reference: &'a str,
    pub network: &'a str,
}

const SIGNATURE: &str =
    "ERN-CPMS, Clinical Patient Management System of the European Reference Networks";

fn mail(to: &str, subject: String, greeting: &str, paragraphs: &[String], link: &str) -> Mail {
    let text_body: Vec<String> = paragraphs
        .iter()
        .map(|p| p.replace("{link}", link))
        .collect();
    let html_body: Vec<String> = paragraphs
        .iter()
        .map(|p| {
            let escaped = html_escape(p);
            let anchor = format!("<a href=\"{0}\">{0}</a>", html_escape(link));
            format!("<p>{}</p>", escaped.replace("{link}", &anchor))
        })
        .collect();
    Mail {
        id: MailId::new(),
        recipient: to.to_owned(),
        subject,
        body_text: format!(
            "Dear {greeting},\n\n{}\n\n{SIGNATURE}\n",
            text_body.join("\n\n")
        ),
        body_html: format!(
            "<!doctype html><html><body><p>Dear {},</p>{}<p>{SIGNATURE}</p></body></html>",
            html_escape(greeting),
            html_body.concat()
        ),
        calendar: None,
        attempts: 0,
    }
}

/// To a guest without an account: the link to sign up, valid once.
pub(crate) fn guest_invitation(about: &About<'_>, link: &str, expires: Timestamp) -> Mail {
    mail(
        about.email,
        format!(
            "Invitation to give your opinion on expert panel {}",
            about.reference
        ),
        about.guest,
        &[
            format!(
                "{} invites you to join expert panel {} of {} as a guest expert, to give \
                 your opinion on a pseudonymised case.",
                about.inviter, about.reference, about.network
            ),
            format!(
                "To take part, create your guest account with this link (it works once, until \
                 {}): {{link}}",
                expires.strftime("%Y-%m-%d %H:%M UTC")
            ),
            "If you did not expect this invitation, ignore this message: nothing happens \
             without the link."
                .to_owned(),
        ],
        link,
    )
}

/// To someone who already has an account: sign in and answer.
pub(crate) fn sign_in_invitation(about: &About<'_>, link: &str) -> Mail {
    mail(
        about.email,
        format!("You are invited to expert panel {}", about.reference),
        about.guest,
        &[
            format!(
                "{} invites you to join expert panel {} of {} and give your opinion on a \
                 pseudonymised case.",
                about.inviter, about.reference, about.network
            ),
            "You already have an ERN-CPMS account with this address: sign in and accept or \
             decline the invitation on the panel's page: {link}"
                .to_owned(),
        ],
        link,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn about() -> About<'static> {
        About {
            guest: "Dr <Ada> Lovelace",
            email: "ada@example.org",
            inviter: "Anna Rossi",
            reference: "BOND-2026-0001",
            network: "ERN BOND",
        }
    }

    #[test]
    fn the_guest_gets_the_link_in_both_parts_escaped_in_html() {
        let expires: Timestamp = "2026-12-07T10:00:00Z".parse().unwrap();
        let m = guest_invitation(
            &about(),
            "https://cpms.example/guest-invitations/a&b",
            expires,
        );
        assert_eq!(m.recipient, "ada@example.org");
        assert!(m.subject.contains("BOND-2026-0001"));
        assert!(
            m.body_text.contains(
                "until 2026-12-07 10:00 UTC): https://cpms.example/guest-invitations/a&b"
            )
        );
        assert!(m.body_text.starts_with("Dear Dr <Ada> Lovelace,"));
        assert!(m.body_html.contains("Dear Dr &lt;Ada&gt; Lovelace,"));
        assert!(
            m.body_html
                .contains("<a href=\"https://cpms.example/guest-invitations/a&amp;b\">")
        );
    }

    #[test]
    fn an_existing_account_is_asked_to_sign_in() {
        let m = sign_in_invitation(&about(), "https://cpms.example/panels/BOND-2026-0001");
        assert!(m.body_text.contains("sign in and accept or decline"));
        assert!(
            m.body_text
                .contains("https://cpms.example/panels/BOND-2026-0001")
        );
        assert!(!m.body_text.contains("{link}"));
    }
}
