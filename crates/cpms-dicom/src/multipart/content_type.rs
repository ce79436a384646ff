//! Parsing `multipart/related; type="application/dicom"; boundary=...`.

use super::MultipartError;

/// A parsed multipart Content-Type header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentType {
    /// Media type, lower-cased (e.g. `multipart/related`).
    pub media_type: String,
    /// The boundary, unquoted.
    pub boundary: String,
    /// The `type` parameter (root part type), lower-cased, unquoted.
    pub root_type: Option<String>,
    /// Other parameters, names lower-cased, values unquoted.
    pub parameters: Vec<(String, String)>,
}

/// Parses a multipart Content-Type header value, accepting quoted and unquoted parameters.
pub fn parse_content_type(value: &str) -> Result<ContentType, MultipartError> {
    let mut pieces = split_parameters(value)?.into_iter();
    let media_type = pieces
        .next()
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| m.starts_with("multipart/"))
        .ok_or_else(|| MultipartError::InvalidContentType(format!("{value:?} is not multipart")))?;
    let mut boundary = None;
    let mut root_type = None;
    let mut parameters = Vec::new();
    for piece in pieces {
        let Some((name, raw)) = piece.split_once('=') else {
            return Err(MultipartError::InvalidContentType(format!(
                "parameter {piece:?} has no value"
            )));
        };
        let name = name.trim().to_ascii_lowercase();
        let parsed = unquote(raw.trim())?;
        match name.as_str() {
            "boundary" => boundary = Some(parsed),
            "type" => root_type = Some(parsed.to_ascii_lowercase()),
            _ => parameters.push((name, parsed)),
        }
    }
    let boundary =
        boundary.ok_or_else(|| MultipartError::InvalidBoundary("no boundary parameter".into()))?;
    validate_boundary(&boundary)?;
    Ok(ContentType {
        media_type,
        boundary,
        root_type,
        parameters,
    })
}

/// RFC 2046 5.1.1: 1 to 70 characters from a restricted set, not ending in a space.
pub(crate) fn validate_boundary(boundary: &str) -> Result<(), MultipartError> {
    const SPECIALS: &str = "'()+_,-./:=? ";
    if boundary.is_empty() || boundary.len() > 70 {
        return Err(MultipartError::InvalidBoundary(format!(
            "length {} is not 1 to 70",
            boundary.len()
        )));
    }
    if let Some(bad) = boundary
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && !SPECIALS.contains(*c))
    {
        return Err(MultipartError::InvalidBoundary(format!(
            "character {bad:?} is not allowed"
        )));
    }
    if boundary.ends_with(' ') {
        return Err(MultipartError::InvalidBoundary("ends with a space".into()));
    }
    Ok(())
}

/// Splits on `;` outside quoted strings.
fn split_parameters(value: &str) -> Result<Vec<String>, MultipartError> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in value.chars() {
        match c {
            _ if escaped => {
                current.push(c);
                escaped = false;
            }
            '\\' if quoted => {
                current.push(c);
                escaped = true;
            }
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ';' if !quoted => pieces.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    if quoted {
        return Err(MultipartError::InvalidContentType(
            "unterminated quoted string".into(),
        ));
    }
    pieces.push(current);
    Ok(pieces
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect())
}

fn unquote(raw: &str) -> Result<String, MultipartError> {
    let Some(inner) = raw.strip_prefix('"') else {
        return Ok(raw.to_string());
    };
    let inner = inner.strip_suffix('"').ok_or_else(|| {
        MultipartError::InvalidContentType(format!("unbalanced quotes in {raw:?}"))
    })?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        out.push(if c == '\\' {
            chars.next().unwrap_or('\\')
        } else {
            c
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_and_unquoted_parameters() {
        let ct =
            parse_content_type(r#"Multipart/Related; type="application/dicom"; boundary="a b:c""#)
                .unwrap();
        assert_eq!(ct.media_type, "multipart/related");
        assert_eq!(ct.boundary, "a b:c");
        assert_eq!(ct.root_type.as_deref(), Some("application/dicom"));
        let ct = parse_content_type(
            "multipart/related;boundary=XyZ;type=application/dicom;start=\"<a;b>\"",
        )
        .unwrap();
        assert_eq!(ct.boundary, "XyZ");
        assert_eq!(
            ct.parameters,
            vec![("start".to_string(), "<a;b>".to_string())]
        );
    }

    #[test]
    fn rejects_bad_headers() {
        assert!(matches!(
            parse_content_type("application/dicom"),
            Err(MultipartError::InvalidContentType(_))
        ));
        assert!(matches!(
            parse_content_type("multipart/related; type=x"),
            Err(MultipartError::InvalidBoundary(_))
        ));
        assert!(matches!(
            parse_content_type("multipart/related; boundary=\"\""),
            Err(MultipartError::InvalidBoundary(_))
        ));
        assert!(matches!(
            parse_content_type("multipart/related; boundary=a{b"),
            Err(MultipartError::InvalidBoundary(_))
        ));
        assert!(matches!(
            parse_content_type("multipart/related; boundary=\"abc"),
            Err(MultipartError::InvalidContentType(_))
        ));
        let long = format!("multipart/related; boundary={}", "a".repeat(71));
        assert!(matches!(
            parse_content_type(&long),
            Err(MultipartError::InvalidBoundary(_))
        ));
    }
}
