//! Removes metadata that travels inside files: EXIF (camera, date, GPS
//! position) and XMP in JPEG, text and EXIF chunks in PNG, and the author
//! of a PDF. What cannot be parsed is left as it is: the content check has
//! already accepted the file, and a clinical image must not be lost.

use super::MediaType;

pub(super) fn strip_metadata(media_type: MediaType, bytes: Vec<u8>) -> Vec<u8> {
    match media_type {
        MediaType::Jpeg => strip_jpeg(&bytes).unwrap_or(bytes),
        MediaType::Png => strip_png(&bytes).unwrap_or(bytes),
        MediaType::Pdf => blank_pdf_author(bytes),
    }
}

/// Copies a JPEG without its APP1 (EXIF, XMP) and COM segments. Segments
/// are walked up to the start of scan, after which the image data follows.
fn strip_jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = bytes.get(..2)?.to_vec();
    let mut at = 2;
    loop {
        let marker = *bytes.get(at + 1)?;
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let length = usize::from(u16::from_be_bytes([
            *bytes.get(at + 2)?,
            *bytes.get(at + 3)?,
        ]));
        let end = at + 2 + length;
        let segment = bytes.get(at..end)?;
        if marker != 0xE1 && marker != 0xFE {
            out.extend_from_slice(segment);
        }
        at = end;
        if marker == 0xDA {
            out.extend_from_slice(bytes.get(at..)?);
            return Some(out);
        }
    }
}

/// Copies a PNG without its eXIf, tEXt, iTXt and zTXt chunks.
fn strip_png(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = bytes.get(..8)?.to_vec();
    let mut at = 8;
    while at < bytes.len() {
        let length = u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?);
        let kind = bytes.get(at + 4..at + 8)?;
        let end = at + 12 + usize::try_from(length).ok()?;
        let chunk = bytes.get(at..end)?;
        if !matches!(kind, b"eXIf" | b"tEXt" | b"iTXt" | b"zTXt") {
            out.extend_from_slice(chunk);
        }
        at = end;
    }
    Some(out)
}

/// Overwrites the value of every `/Author` entry (spaces in a literal
/// string, zeros in a hex string) without changing its length, so the cross-reference offsets of the file stay right.
fn blank_pdf_author(mut bytes: Vec<u8>) -> Vec<u8> {
    const KEY: &[u8] = b"/Author";
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], KEY) {
        let mut i = at + found + KEY.len();
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if bytes.get(i) == Some(&b'(') {
            let mut depth = 0usize;
            i += 1;
            while let Some(&b) = bytes.get(i) {
                match b {
                    b'\\' => {
                        bytes[i] = b' ';
                        if let Some(next) = bytes.get_mut(i + 1) {
                            *next = b' ';
                        }
                        i += 2;
                        continue;
                    }
                    b'(' => depth += 1,
                    b')' if depth == 0 => break,
                    b')' => depth -= 1,
                    _ => {}
                }
                bytes[i] = b' ';
                i += 1;
            }
        } else if bytes.get(i) == Some(&b'<') {
            // A hex string (UTF-16 names): zeros keep it a valid string.
            i += 1;
            while let Some(b) = bytes.get_mut(i) {
                if *b == b'>' {
                    break;
                }
                if b.is_ascii_hexdigit() {
                    *b = b'0';
                }
                i += 1;
            }
        }
        at = i;
    }
    bytes
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
