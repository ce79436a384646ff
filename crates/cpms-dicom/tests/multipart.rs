//! multipart/related: writer → parser round trips, streaming in odd chunk sizes, odd inputs.

#![allow(clippy::unwrap_used)] // unwrap is the clearest assertion in tests

use cpms_dicom::multipart::{
    Event, MultipartError, MultipartLimits, MultipartParser, MultipartWriter, Part, parse_all,
    parse_content_type,
};
use proptest::prelude::*;

fn write_body(writer: &mut MultipartWriter, bodies: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for (index, body) in bodies.iter().enumerate() {
        let location = format!("/studies/1/instances/{index}");
        writer
            .write_part(
                &mut out,
                &[
                    ("Content-Type", "application/dicom"),
                    ("Content-Location", &location),
                ],
                body,
            )
            .unwrap();
    }
    out.extend_from_slice(&writer.finish());
    out
}

/// Feeds `body` in chunks of `chunk` bytes and reassembles the parts.
fn parse_chunked(boundary: &str, body: &[u8], chunk: usize) -> Result<Vec<Part>, MultipartError> {
    let mut parser = MultipartParser::new(boundary, MultipartLimits::default())?;
    let mut parts: Vec<Part> = Vec::new();
    let mut finished = false;
    for piece in body.chunks(chunk.max(1)) {
        for event in parser.feed(piece)? {
            match event {
                Event::PartStart(headers) => parts.push(Part {
                    headers,
                    body: Vec::new(),
                }),
                Event::Body(bytes) => parts.last_mut().unwrap().body.extend_from_slice(&bytes),
                Event::PartEnd => {}
                Event::Finished => finished = true,
            }
        }
    }
    parser.finish()?;
    assert!(finished);
    Ok(parts)
}

#[test]
fn round_trip_in_any_chunk_size() {
    let mut writer = MultipartWriter::from_seed(b"request-42");
    let bodies = vec![
        b"DICM first body".to_vec(),
        Vec::new(),
        b"\r\n--not the boundary\r\n--".to_vec(),
        (0..=255u8).cycle().take(70_000).collect(),
    ];
    let body = write_body(&mut writer, &bodies);
    let content_type = parse_content_type(&writer.content_type("application/dicom")).unwrap();
    assert_eq!(content_type.root_type.as_deref(), Some("application/dicom"));
    for chunk in [1, 2, 3, 7, 64, 4096, body.len()] {
        let parts = parse_chunked(&content_type.boundary, &body, chunk).unwrap();
        assert_eq!(parts.len(), bodies.len(), "chunk {chunk}");
        for (index, (part, want)) in parts.iter().zip(&bodies).enumerate() {
            assert_eq!(&part.body, want, "chunk {chunk} part {index}");
            assert_eq!(part.headers.content_type(), Some("application/dicom"));
            assert_eq!(
                part.headers.get("content-location"),
                Some(format!("/studies/1/instances/{index}").as_str())
            );
        }
    }
}

#[test]
fn tolerates_preamble_padding_epilogue_and_quoted_boundaries() {
    let ct = parse_content_type(
        "multipart/related; type=\"application/dicom\"; boundary=\"gc0p4Jq0M2Yt08j34c0p\"",
    )
    .unwrap();
    let body = b"This is a preamble.\r\n--gc0p4Jq0M2Yt08j34c0p  \t\r\nContent-Type: application/dicom\r\nX-Folded: one\r\n two\r\n\r\nPART-ONE\r\n--gc0p4Jq0M2Yt08j34c0p\r\n\r\nPART-TWO\r\n--gc0p4Jq0M2Yt08j34c0p--\r\nepilogue ignored --gc0p4Jq0M2Yt08j34c0p";
    let parts = parse_all(&ct.boundary, body, MultipartLimits::default()).unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].body, b"PART-ONE");
    assert_eq!(parts[0].headers.get("x-folded"), Some("one two"));
    assert_eq!(parts[1].body, b"PART-TWO");
    assert!(parts[1].headers.fields.is_empty());
}

#[test]
fn rejects_malformed_bodies_with_specific_errors() {
    let limits = MultipartLimits::default();
    assert_eq!(
        parse_all("b", b"no boundary here", limits),
        Err(MultipartError::Truncated("no boundary found"))
    );
    assert_eq!(
        parse_all(
            "b",
            b"--b\r\nContent-Type: x\r\n\r\nbody without end",
            limits
        ),
        Err(MultipartError::Truncated("input ends inside a part body"))
    );
    assert!(matches!(
        parse_all("b", b"--bJUNK\r\n\r\nx\r\n--b--", limits),
        Err(MultipartError::MalformedBoundaryLine(_))
    ));
    assert!(matches!(
        parse_all("b", b"--b\r\nNoColonHere\r\n\r\nx\r\n--b--", limits),
        Err(MultipartError::MalformedHeader(_))
    ));
    let huge_header = [
        b"--b\r\nX: ".as_slice(),
        &vec![b'a'; 20_000],
        b"\r\n\r\nx\r\n--b--",
    ]
    .concat();
    assert_eq!(
        parse_all("b", &huge_header, limits),
        Err(MultipartError::HeaderTooLarge { limit: 16 * 1024 })
    );
    let few = MultipartLimits {
        max_parts: 1,
        ..limits
    };
    assert_eq!(
        parse_all("b", b"--b\r\n\r\n1\r\n--b\r\n\r\n2\r\n--b--", few),
        Err(MultipartError::TooManyParts { limit: 1 })
    );
    assert!(matches!(
        MultipartParser::new("", limits),
        Err(MultipartError::InvalidBoundary(_))
    ));
}

#[test]
fn header_limit_holds_while_streaming() {
    // A header that never ends must fail once it passes the limit, not buffer forever.
    let limits = MultipartLimits {
        max_header_bytes: 100,
        ..MultipartLimits::default()
    };
    let mut parser = MultipartParser::new("b", limits).unwrap();
    parser.feed(b"--b\r\nX: ").unwrap();
    let mut result = Ok(Vec::new());
    for _ in 0..20 {
        result = parser.feed(&[b'a'; 10]);
        if result.is_err() {
            break;
        }
    }
    assert_eq!(result, Err(MultipartError::HeaderTooLarge { limit: 100 }));
}

#[test]
fn writer_refuses_a_body_containing_its_delimiter() {
    let mut writer = MultipartWriter::new("abc").unwrap();
    let mut sink = Vec::new();
    assert_eq!(
        writer.write_part(&mut sink, &[], b"x\r\n--abc"),
        Err(MultipartError::BoundaryInBody)
    );
}

proptest! {
    #[test]
    fn random_bodies_round_trip(bodies in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 1..5), chunk in 1usize..50) {
        let mut writer = MultipartWriter::new("frontier-7").unwrap();
        let body = write_body(&mut writer, &bodies);
        let parts = parse_chunked("frontier-7", &body, chunk).unwrap();
        let got: Vec<Vec<u8>> = parts.into_iter().map(|p| p.body).collect();
        prop_assert_eq!(got, bodies);
    }

    #[test]
    fn arbitrary_input_never_panics(input in prop::collection::vec(any::<u8>(), 0..500), chunk in 1usize..30) {
        let mut parser = MultipartParser::new("xyz", MultipartLimits { max_header_bytes: 64, max_parts: 5 }).unwrap();
        for piece in input.chunks(chunk) {
            if parser.feed(piece).is_err() {
                break;
            }
        }
    }
}
