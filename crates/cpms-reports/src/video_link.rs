//! Video-conference links made from a configured template, such as
//! `https://meet.example.org/ern-{panel}-{meeting}`: each meeting gets its
//! own room without any call to the provider.

use cpms_domain::org::InvalidValue;

const FIELD: &str = "video_link_template";
const PLACEHOLDERS: [&str; 2] = ["panel", "meeting"];

/// A checked template: https, a host, and only the placeholders `{panel}`
/// and `{meeting}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoLinkTemplate(String);

/// A piece of a template: literal text or a placeholder's name.
enum Piece<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

impl VideoLinkTemplate {
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let template = raw.trim();
        let invalid = |message: String| InvalidValue::new(FIELD, message);
        let rest = template
            .get(..8)
            .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
            .map(|_| &template[8..])
            .ok_or_else(|| invalid("must start with https://".into()))?;
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        if host_end == 0 {
            return Err(invalid("needs a host after https://".into()));
        }
        if let Some(c) = template
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>'))
        {
            return Err(invalid(format!("may not contain {c:?}")));
        }
        for piece in pieces(template)? {
            if let Piece::Placeholder(name) = piece
                && !PLACEHOLDERS.contains(&name)
            {
                return Err(invalid(format!(
                    "unknown placeholder {{{name}}}; use {{panel}} or {{meeting}}"
                )));
            }
        }
        Ok(Self(template.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The link for one meeting of one panel. The ids are percent-encoded
    /// except for letters, digits and `-._~`, so any id is safe in any part
    /// of the URL.
    pub fn expand(&self, panel: &str, meeting: &str) -> String {
        let mut link = String::with_capacity(self.0.len() + 80);
        // The template was checked when parsed, so pieces() cannot fail.
        for piece in pieces(&self.0).unwrap_or_default() {
            match piece {
                Piece::Text(text) => link.push_str(text),
                Piece::Placeholder("panel") => encode_into(&mut link, panel),
                Piece::Placeholder(_) => encode_into(&mut link, meeting),
            }
        }
        link
    }
}

/// Splits a template at its `{name}` placeholders; a brace without its
/// partner is an error.
fn pieces(template: &str) -> Result<Vec<Piece<'_>>, InvalidValue> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(InvalidValue::new(FIELD, "has a } without its {"));
        }
        out.push(Piece::Text(&rest[..open]));
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .filter(|close| !after[..*close].contains('{'))
            .ok_or_else(|| InvalidValue::new(FIELD, "has a { without its }"))?;
        out.push(Piece::Placeholder(&after[..close]));
        rest = &after[close + 1..];
    }
    out.push(Piece::Text(rest));
    Ok(out)
}

fn encode_into(out: &mut String, id: &str) {
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_with_encoded_ids() {
        let t =
            VideoLinkTemplate::parse(" https://meet.example.org/ern-{panel}-{meeting}?x={panel} ")
                .unwrap();
        assert_eq!(
            t.expand("0190aa-1", "m 2/é"),
            "https://meet.example.org/ern-0190aa-1-m%202%2F%C3%A9?x=0190aa-1"
        );
        let plain = VideoLinkTemplate::parse("HTTPS://meet.example.org/fixed-room").unwrap();
        assert_eq!(
            plain.expand("p", "m"),
            "HTTPS://meet.example.org/fixed-room"
        );
    }

    #[test]
    fn bad_templates_are_refused_with_the_reason() {
        let cases = [
            (
                "http://meet.example.org/{panel}",
                "must start with https://",
            ),
            ("meet.example.org/{panel}", "must start with https://"),
            ("https:///room/{panel}", "needs a host after https://"),
            (
                "https://meet.example.org/{room}",
                "unknown placeholder {room}; use {panel} or {meeting}",
            ),
            (
                "https://meet.example.org/{}",
                "unknown placeholder {}; use {panel} or {meeting}",
            ),
            ("https://meet.example.org/{panel", "has a { without its }"),
            ("https://meet.example.org/{pa{nel}", "has a { without its }"),
            ("https://meet.example.org/panel}", "has a } without its {"),
            ("https://meet.example.org/a b", "may not contain ' '"),
        ];
        for (raw, message) in cases {
            let err = VideoLinkTemplate::parse(raw).unwrap_err();
            assert_eq!((err.field, err.message.as_str()), (FIELD, message), "{raw}");
        }
    }
}
