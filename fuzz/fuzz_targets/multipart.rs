//! The multipart parser over arbitrary bodies fed in arbitrary chunk sizes, plus
//! Content-Type parsing of the first line.
#![no_main]

use cpms_dicom::multipart::{Event, MultipartLimits, MultipartParser, parse_content_type};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&chunk, body)) = data.split_first() else {
        return;
    };
    if let Some(line) = body.split(|b| *b == b'\n').next() {
        let _ = parse_content_type(&String::from_utf8_lossy(line));
    }
    let limits = MultipartLimits {
        max_header_bytes: 256,
        max_parts: 64,
    };
    let Ok(mut parser) = MultipartParser::new("frontier", limits) else {
        return;
    };
    let mut body_bytes = 0usize;
    for piece in body.chunks(usize::from(chunk).max(1)) {
        match parser.feed(piece) {
            Ok(events) => {
                for event in events {
                    if let Event::Body(bytes) = event {
                        body_bytes += bytes.len();
                    }
                }
            }
            Err(_) => return,
        }
    }
    assert!(body_bytes <= body.len());
    let _ = parser.finish();
});
