//! Content lines of RFC 5545: TEXT escaping (§3.3.11), quoted parameter
//! values (§3.2) and folding at 75 octets (§3.1).

/// Longest content line, in octets, not counting the CRLF.
pub(super) const MAX_OCTETS: usize = 75;

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks (any
/// of CRLF, CR, LF becomes `\n`). Other control characters are not allowed
/// in TEXT, so they are dropped; a tab is kept.
pub(super) fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value (a common name) as a quoted string. A quoted string
/// cannot hold a double quote or a control character; RFC 6868's caret
/// escapes would keep them but many clients do not read those, so a double
/// quote becomes a single one and control characters are dropped.
pub(super) fn quoted_param(value: &str) -> String {
    let inner: String = value
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if c == '"' { '\'' } else { c })
        .collect();
    format!("\"{inner}\"")
}

/// Appends `line` to `out` folded so no physical line exceeds 75 octets,
/// continuation lines starting with one space, each ending with CRLF. Cuts
/// fall between characters, never inside a UTF-8 sequence.
pub(super) fn fold_into(out: &mut String, line: &str) {
    let mut rest = line;
    // The first line has all 75 octets; continuations spend one on the space.
    let mut room = MAX_OCTETS;
    loop {
        if rest.len() <= room {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = MAX_OCTETS - 1;
    }
}
