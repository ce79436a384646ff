//! Writes seed corpora for the fuzz targets in `fuzz/`:
//! `cargo run -p cpms-dicom --example fuzz_seeds -- <corpus dir>`.
//! Encodings that need an external tool (JPEG 2000) are skipped when it is missing.

use std::path::{Path, PathBuf};

use cpms_dicom::multipart::MultipartWriter;
use cpms_dicom::synth::{self, Encoding, Identity, InstanceIds, TestImage};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "fuzz/corpus".into()),
    );
    let identity = Identity::sample();
    let mut instances = Vec::new();
    let images = [
        ("ct", TestImage::ct_slice(16, 16, 0.5, 0)),
        ("grey", TestImage::grey8(8, 12, 2)),
        ("rgb", TestImage::color(8, 8, "RGB")),
        ("ybr422", TestImage::color(8, 8, "YBR_FULL_422")),
        ("palette", TestImage::palette(4, 16)),
    ];
    for (label, image) in &images {
        for encoding in Encoding::ALL {
            let ids = InstanceIds::derived(label, 1);
            match synth::instance(image, encoding, &identity, &ids) {
                Ok(bytes) => instances.push((format!("{label}-{encoding:?}"), bytes)),
                Err(error) => eprintln!("skipping {label} {encoding:?}: {error}"),
            }
        }
    }
    instances.push(("dicomdir".into(), synth::dicomdir(&[vec!["CT", "IM1"]])?));
    for target in ["parse", "render", "deidentify"] {
        write_all(&root.join(target), &instances)?;
    }
    let mut writer = MultipartWriter::new("frontier")?;
    let mut body = vec![7u8];
    for (_, bytes) in instances.iter().take(2) {
        writer.write_part(
            &mut body,
            &[("Content-Type", "application/dicom")],
            &bytes[..bytes.len().min(300)],
        )?;
    }
    body.extend_from_slice(&writer.finish());
    let odd = b"\x03preamble\r\n--frontier \t\r\nContent-Type: application/dicom\r\n\r\nbody\r\n--frontier--\r\nepilogue".to_vec();
    write_all(
        &root.join("multipart"),
        &[("two-parts".into(), body), ("padding".into(), odd)],
    )?;
    println!(
        "wrote {} instance seeds to {}",
        instances.len(),
        root.display()
    );
    Ok(())
}

fn write_all(dir: &Path, seeds: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, bytes) in seeds {
        std::fs::write(dir.join(name), bytes)?;
    }
    Ok(())
}
