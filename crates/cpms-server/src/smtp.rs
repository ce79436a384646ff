//! Outgoing mail: a small SMTP client (RFC 5321: EHLO, MAIL, RCPT, DATA)
//! that delivers the application's outbox, and the task that runs it.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cpms_app::App;
use cpms_app::onboarding::mail::MailTransport;
use cpms_domain::mail::Mail;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::config::{ConfigError, RawConfig};

/// How often the outbox is looked at; retries are scheduled by the
/// application, this only bounds how late they run.
const POLL: Duration = Duration::from_secs(1);
/// Longest wait for the server at any step.
const STEP_TIMEOUT: Duration = Duration::from_secs(30);

/// Where and as whom mail is sent.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    /// The `From:` header, e.g. `ERN-CPMS <noreply@example.org>`.
    pub from: String,
    /// The bare address of `from`, for the envelope.
    pub from_address: String,
}

impl SmtpConfig {
    pub(crate) fn from_raw(raw: &RawConfig) -> Result<Option<Self>, ConfigError> {
        let port = raw.parse("smtp.port", |p| {
            p.parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| format!("'{p}' is not a port number (1 to 65535)"))
        })?;
        let from = raw.parse("smtp.from", |f| Ok(f.to_owned()))?;
        let from_address = address_of(&from).ok_or_else(|| {
            raw.error(
                "smtp.from",
                "give an address like 'ERN-CPMS <noreply@example.org>'",
            )
        })?;
        raw.parse("smtp.tls", |t| match t {
            "none" => Ok(()),
            other => Err(format!(
                "'{other}' is not supported: use none and a local relay that forwards over TLS"
            )),
        })?;
        let host = raw.parse_opt("smtp.host", |h| {
            if h.is_empty() || h.contains(char::is_whitespace) {
                Err(format!("'{h}' is not a host name"))
            } else {
                Ok(h.to_owned())
            }
        })?;
        Ok(host.map(|host| Self {
            host,
            port,
            from,
            from_address,
        }))
    }
}

/// `Name <addr@host>` or a bare `addr@host`.
fn address_of(from: &str) -> Option<String> {
    let address = match (from.rfind('<'), from.rfind('>')) {
        (Some(start), Some(end)) if start < end => &from[start + 1..end],
        _ => from,
    };
    let address = address.trim();
    (address.contains('@') && !address.contains(char::is_whitespace)).then(|| address.to_owned())
}

/// Delivers the outbox for as long as the server runs.
pub(crate) async fn send_outbox(app: App, config: Option<SmtpConfig>) {
    let Some(config) = config else {
        tracing::info!("smtp.host is not set: mail stays in the outbox");
        return;
    };
    let client = SmtpClient { config };
    loop {
        if let Err(err) = app.deliver_due_mail(&client).await {
            tracing::warn!(%err, "mail delivery round failed");
        }
        tokio::time::sleep(POLL).await;
    }
}

struct SmtpClient {
    config: SmtpConfig,
}

impl MailTransport for SmtpClient {
    fn send<'a>(
        &'a self,
        mail: &'a Mail,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async move {
            tokio::time::timeout(STEP_TIMEOUT * 4, self.deliver(mail))
                .await
                .map_err(|_| "the SMTP server did not answer in time".to_owned())?
        })
    }
}

impl SmtpClient {
    async fn deliver(&self, mail: &Mail) -> Result<(), String> {
        let stream = TcpStream::connect((self.config.host.as_str(), self.config.port))
            .await
            .map_err(|e| {
                format!(
                    "cannot connect to {}:{}: {e}",
                    self.config.host, self.config.port
                )
            })?;
        let (read, mut write) = stream.into_split();
        let mut read = BufReader::new(read);
        expect(&mut read, 220).await?;
        command(&mut write, &mut read, "EHLO ern-cpms", 250).await?;
        command(
            &mut write,
            &mut read,
            &format!("MAIL FROM:<{}>", self.config.from_address),
            250,
        )
        .await?;
        command(
            &mut write,
            &mut read,
            &format!("RCPT TO:<{}>", mail.recipient),
            250,
        )
        .await?;
        command(&mut write, &mut read, "DATA", 354).await?;
        let message = message(&self.config.from, mail);
        write
            .write_all(dot_stuffed(&message).as_bytes())
            .await
            .map_err(io)?;
        command(&mut write, &mut read, ".", 250).await?;
        // The message is accepted; a failing QUIT changes nothing.
        let _ = command(&mut write, &mut read, "QUIT", 221).await;
        Ok(())
    }
}

async fn command(
    write: &mut tokio::net::tcp::OwnedWriteHalf,
    read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    line: &str,
    code: u16,
) -> Result<(), String> {
    write
        .write_all(format!("{line}\r\n").as_bytes())
        .await
        .map_err(io)?;
    expect(read, code).await
}

/// Reads a (possibly multi-line) reply and checks its code.
async fn expect(
    read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    code: u16,
) -> Result<(), String> {
    loop {
        let mut line = String::new();
        let n = tokio::time::timeout(STEP_TIMEOUT, read.read_line(&mut line))
            .await
            .map_err(|_| "the SMTP server did not answer in time".to_owned())?
            .map_err(io)?;
        if n == 0 {
            return Err("the SMTP server closed the connection".to_owned());
        }
        let got: Option<u16> = line.get(..3).and_then(|c| c.parse().ok());
        if got != Some(code) && !(code == 250 && got == Some(251)) {
            return Err(format!("the SMTP server answered: {}", line.trim_end()));
        }
        if line.as_bytes().get(3) != Some(&b'-') {
            return Ok(());
        }
    }
}

fn io(err: std::io::Error) -> String {
    format!("SMTP connection failed: {err}")
}

/// The RFC 5322 message: headers and a multipart/alternative body with
/// the plain-text and HTML versions, each base64-encoded. A meeting
/// invitation adds its calendar as a third alternative (what mail programs
/// act on) and, inside multipart/mixed, as an `invite.ics` attachment (for
/// those that only offer attachments).
fn message(from: &str, mail: &Mail) -> String {
    let alternative = format!("cpms-alt-{}", mail.id);
    let date = jiff::Timestamp::now().strftime("%a, %d %b %Y %H:%M:%S +0000");
    let mut body = format!(
        "{}{}",
        part(
            &alternative,
            "text/plain; charset=utf-8",
            None,
            &mail.body_text
        ),
        part(
            &alternative,
            "text/html; charset=utf-8",
            None,
            &mail.body_html
        ),
    );
    if let Some(calendar) = &mail.calendar {
        let kind = format!(
            "text/calendar; charset=utf-8; method={}",
            calendar_method(calendar)
        );
        body.push_str(&part(&alternative, &kind, None, calendar));
    }
    body.push_str(&format!("--{alternative}--\r\n"));
    let mut content_type = format!("multipart/alternative; boundary=\"{alternative}\"");
    if let Some(calendar) = &mail.calendar {
        let mixed = format!("cpms-mix-{}", mail.id);
        body = format!(
            "--{mixed}\r\nContent-Type: {content_type}\r\n\r\n{body}{}--{mixed}--\r\n",
            part(
                &mixed,
                "application/ics; name=\"invite.ics\"",
                Some("attachment; filename=\"invite.ics\""),
                calendar
            ),
        );
        content_type = format!("multipart/mixed; boundary=\"{mixed}\"");
    }
    format!(
        "From: {from}\r\nTo: <{to}>\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{id}@ern-cpms>\r\n\
         MIME-Version: 1.0\r\nContent-Type: {content_type}\r\n\r\n{body}",
        to = mail.recipient,
        subject = encoded_header(&mail.subject),
        id = mail.id,
    )
}

/// One base64-encoded MIME part after `boundary`.
fn part(boundary: &str, kind: &str, disposition: Option<&str>, body: &str) -> String {
    let disposition = disposition
        .map(|d| format!("Content-Disposition: {d}\r\n"))
        .unwrap_or_default();
    format!(
        "--{boundary}\r\nContent-Type: {kind}\r\n{disposition}Content-Transfer-Encoding: base64\r\n\r\n{}\r\n",
        wrapped_base64(body)
    )
}

/// The iCalendar METHOD (REQUEST, CANCEL), which the calendar part's
/// content type must repeat.
fn calendar_method(calendar: &str) -> &str {
    calendar
        .lines()
        .find_map(|line| line.strip_prefix("METHOD:"))
        .map(str::trim)
        .filter(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_alphabetic()))
        .unwrap_or("PUBLISH")
}

/// RFC 2047 encoding for headers that are not plain ASCII.
fn encoded_header(value: &str) -> String {
    if value.is_ascii() && !value.contains(['\r', '\n']) {
        value.to_owned()
    } else {
        format!("=?UTF-8?B?{}?=", STANDARD.encode(value))
    }
}

fn wrapped_base64(body: &str) -> String {
    let encoded = STANDARD.encode(body);
    encoded
        .as_bytes()
        .chunks(76)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\r\n")
}

/// Lines starting with '.' get another, so none ends the DATA early.
fn dot_stuffed(message: &str) -> String {
    message
        .split("\r\n")
        .map(|line| {
            if line.starts_with('.') {
                format!(".{line}")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_address_comes_from_the_from_header() {
        assert_eq!(
            address_of("ERN-CPMS <noreply@example.org>").as_deref(),
            Some("noreply@example.org")
        );
        assert_eq!(
            address_of("noreply@example.org").as_deref(),
            Some("noreply@example.org")
        );
        assert_eq!(address_of("ERN-CPMS"), None);
    }

    fn mail(calendar: Option<&str>) -> Mail {
        Mail {
            id: cpms_domain::ids::MailId::new(),
            recipient: "ada@example.org".into(),
            subject: "Panel meeting".into(),
            body_text: "See you".into(),
            body_html: "<p>See you</p>".into(),
            calendar: calendar.map(str::to_owned),
            attempts: 0,
        }
    }

    #[test]
    fn a_plain_message_is_one_alternative() {
        let text = message("ERN-CPMS <noreply@example.org>", &mail(None));
        assert!(text.contains("Content-Type: multipart/alternative;"));
        assert!(!text.contains("multipart/mixed"));
        assert!(!text.contains("text/calendar"));
    }

    #[test]
    fn an_invitation_carries_its_calendar_part_and_attachment() {
        let ics = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n";
        let text = message("noreply@example.org", &mail(Some(ics)));
        assert!(text.contains("Content-Type: multipart/mixed;"), "{text}");
        assert!(text.contains("Content-Type: text/calendar; charset=utf-8; method=CANCEL"));
        assert!(text.contains("Content-Disposition: attachment; filename=\"invite.ics\""));
        let encoded = wrapped_base64(ics);
        assert_eq!(text.matches(&encoded).count(), 2, "{text}");
        // Every boundary opened is closed.
        for boundary in ["cpms-alt-", "cpms-mix-"] {
            assert_eq!(text.matches(&format!("\"{boundary}")).count(), 1);
        }
        assert!(text.trim_end().ends_with("--"));
    }

    #[test]
    fn an_unreadable_method_falls_back_to_publish() {
        assert_eq!(calendar_method("METHOD:REQUEST\r\n"), "REQUEST");
        assert_eq!(calendar_method("METHOD:RE;QUEST\r\n"), "PUBLISH");
        assert_eq!(calendar_method("BEGIN:VCALENDAR"), "PUBLISH");
    }

    #[test]
    fn headers_and_dots_are_made_safe() {
        assert_eq!(encoded_header("Approved"), "Approved");
        assert!(encoded_header("Zugang für Sie").starts_with("=?UTF-8?B?"));
        assert!(encoded_header("a\r\nBcc: x").starts_with("=?UTF-8?B?"));
        assert_eq!(dot_stuffed("a\r\n.b\r\nc"), "a\r\n..b\r\nc");
    }
}
