//! What the user scans when enrolling an authenticator app: the `otpauth://` key URI and its QR
//! code.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use super::{Totp, TotpError, TotpSecret};

/// Everything but RFC 3986 unreserved characters is escaped; spaces become `%20`, which apps
/// read reliably (unlike `+`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub(super) fn provisioning_uri(
    totp: &Totp,
    secret: &TotpSecret,
    issuer: &str,
    account: &str,
) -> Result<String, TotpError> {
    totp.validate()?;
    // The label is "issuer:account"; a colon inside either part would make it ambiguous.
    if issuer.trim().is_empty() || issuer.contains(':') {
        return Err(TotpError::InvalidSettings(format!(
            "issuer {issuer:?} must be non-empty and contain no colon"
        )));
    }
    if account.trim().is_empty() || account.contains(':') {
        return Err(TotpError::InvalidSettings(format!(
            "account {account:?} must be non-empty and contain no colon"
        )));
    }
    let issuer = utf8_percent_encode(issuer, COMPONENT).to_string();
    let account = utf8_percent_encode(account, COMPONENT);
    Ok(format!(
        "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={digits}&period={period}",
        secret = secret.to_base32(),
        digits = totp.digits,
        period = totp.period_secs,
    ))
}

/// Renders `uri` as a QR code in SVG, black on white, at least 240 px square, without an XML
/// prolog so it can be placed inline in an HTML page.
pub fn qr_svg(uri: &str) -> Result<String, TotpError> {
    let code = QrCode::with_error_correction_level(uri.as_bytes(), EcLevel::M)
        .map_err(|e| TotpError::QrCode(e.to_string()))?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    Ok(
        match image.strip_prefix(r#"<?xml version="1.0" standalone="yes"?>"#) {
            Some(rest) => rest.to_owned(),
            None => image,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> TotpSecret {
        TotpSecret::from_bytes(b"12345678901234567890".to_vec()).unwrap()
    }

    #[test]
    fn uri_follows_the_key_uri_format() {
        let uri = Totp::default()
            .provisioning_uri(&secret(), "ERN CPMS", "anna.muller@example.eu")
            .unwrap();
        assert_eq!(
            uri,
            "otpauth://totp/ERN%20CPMS:anna.muller%40example.eu?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=ERN%20CPMS&algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn uri_escapes_non_ascii_and_reserved_characters() {
        let uri = Totp::default()
            .provisioning_uri(&secret(), "CPMS", "jürgen&co?x=1")
            .unwrap();
        assert!(
            uri.starts_with("otpauth://totp/CPMS:j%C3%BCrgen%26co%3Fx%3D1?"),
            "{uri}"
        );
    }

    #[test]
    fn colons_and_empty_labels_are_refused() {
        let totp = Totp::default();
        for (issuer, account) in [("a:b", "x"), ("CPMS", "x:y"), ("", "x"), ("CPMS", " ")] {
            assert!(matches!(
                totp.provisioning_uri(&secret(), issuer, account),
                Err(TotpError::InvalidSettings(_))
            ));
        }
    }

    #[test]
    fn qr_code_decodes_back_to_the_uri() {
        let uri = Totp::default()
            .provisioning_uri(&TotpSecret::generate(), "ERN CPMS", "anna@example.eu")
            .unwrap();
        let image = qr_svg(&uri).unwrap();
        assert!(image.starts_with("<svg "), "{}", &image[..40]);
        assert_eq!(decode_svg_qr(&image), uri);
    }

    #[test]
    fn data_too_large_for_a_qr_code_is_an_error() {
        assert!(matches!(
            qr_svg(&"x".repeat(5000)),
            Err(TotpError::QrCode(_))
        ));
    }

    /// Rasterises the rectangles of the renderer's single `<path>` and reads the code with an
    /// independent decoder.
    fn decode_svg_qr(image: &str) -> String {
        let attr = |name: &str| -> usize {
            let start = image.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            image[start..].split('"').next().unwrap().parse().unwrap()
        };
        let (width, height) = (attr("width"), attr("height"));
        let path = image
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let mut dark = vec![false; width * height];
        // Each rectangle is "M{left} {top}h{w}v{h}H{left}V{top}".
        for rect in path.split('M').filter(|r| !r.is_empty()) {
            let numbers: Vec<usize> = rect
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty())
                .map(|n| n.parse().unwrap())
                .collect();
            let (left, top, w, h) = (numbers[0], numbers[1], numbers[2], numbers[3]);
            for y in top..top + h {
                for x in left..left + w {
                    dark[y * width + x] = true;
                }
            }
        }
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
            if dark[y * width + x] { 0 } else { 255 }
        });
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        grids[0].decode().unwrap().1
    }
}
