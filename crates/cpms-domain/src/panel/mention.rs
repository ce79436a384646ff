//! Mentions in a panel's discussion: `@username` names someone to draw
//! their attention. Who is actually told is the use case's decision (only
//! people who can see the panel); this finds what was written.

/// A piece of a message: plain text, or a mention (the user name as
/// written, without the `@`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Mention(&'a str),
}

/// The shortest user name (as `user::parse_username` allows).
const MIN_NAME: usize = 3;
const MAX_NAME: usize = 64;

/// Characters of a mentioned user name. `@` is left out, so `@a@b` is not
/// one mention, and a trailing `.` ends the sentence, not the name.
fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// Splits a message into text and mentions. An `@` starts a mention only
/// at the start or after a character that cannot be part of a name, so an
/// e-mail address (`anna@example.org`) is not a mention.
pub fn pieces(body: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut text_from = 0;
    let mut prev: Option<char> = None;
    let mut chars = body.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let starts = c == '@' && !prev.is_some_and(|p| name_char(p) || p == '@');
        prev = Some(c);
        if !starts {
            continue;
        }
        let name_from = at + 1;
        let mut name_to = name_from;
        while let Some(&(i, n)) = chars.peek() {
            if !name_char(n) {
                break;
            }
            name_to = i + n.len_utf8();
            prev = Some(n);
            chars.next();
        }
        let name = body[name_from..name_to].trim_end_matches('.');
        if !(MIN_NAME..=MAX_NAME).contains(&name.len()) {
            continue;
        }
        if text_from < at {
            out.push(Piece::Text(&body[text_from..at]));
        }
        out.push(Piece::Mention(name));
        text_from = name_from + name.len();
    }
    if text_from < body.len() {
        out.push(Piece::Text(&body[text_from..]));
    }
    out
}

/// The user names a message mentions, lower-cased, each once, in order.
pub fn mentioned(body: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for piece in pieces(body) {
        if let Piece::Mention(name) = piece {
            let name = name.to_lowercase();
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_names_after_an_at_sign() {
        assert_eq!(
            mentioned("@bond-hp2 and @Bond_HP3, what do you think? Also @bond-hp2."),
            ["bond-hp2", "bond_hp3"]
        );
        assert_eq!(mentioned("(@ab.cd)"), ["ab.cd"]);
    }

    #[test]
    fn ignores_mail_addresses_short_names_and_lone_signs() {
        assert!(mentioned("write to anna@example.org").is_empty());
        assert!(mentioned("@ab is too short, @ alone, @@bond-hp2").is_empty());
        assert!(mentioned(&format!("@{}", "x".repeat(65))).is_empty());
    }

    #[test]
    fn splits_text_and_mentions_without_losing_a_character() {
        let body = "Thanks @bond-hp2. See ü@x and @émile";
        let parts = pieces(body);
        assert_eq!(
            parts[..3],
            [
                Piece::Text("Thanks "),
                Piece::Mention("bond-hp2"),
                Piece::Text(". See ü@x and @émile"),
            ]
        );
        let joined: String = parts
            .iter()
            .map(|p| match p {
                Piece::Text(t) => (*t).to_owned(),
                Piece::Mention(m) => format!("@{m}"),
            })
            .collect();
        assert_eq!(joined, body);
    }
}
