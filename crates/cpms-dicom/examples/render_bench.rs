//! Times rendering a 512×512 16-bit CT frame: `cargo run --release -p cpms-dicom --example render_bench`.

use std::time::Instant;

use cpms_dicom::render::{self, OutputFormat, RenderOptions, WindowChoice, WindowPreset};
use cpms_dicom::synth::{self, Identity};
use cpms_dicom::{DicomFile, Limits};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let iterations: u32 = std::env::args().nth(1).map_or(Ok(50), |n| n.parse())?;
    let bytes = synth::ct_study(&Identity::sample(), 1, 512, 512)?.remove(0);
    let started = Instant::now();
    for _ in 0..iterations {
        std::hint::black_box(DicomFile::from_bytes(&bytes, &Limits::default())?);
    }
    report("parse 512x512 CT instance", started, iterations);
    let file = DicomFile::from_bytes(&bytes, &Limits::default())?;
    for (label, format) in [
        ("render to PNG (fast)", OutputFormat::Png),
        ("render to JPEG q85", OutputFormat::Jpeg { quality: 85 }),
    ] {
        let options = RenderOptions {
            window: WindowChoice::Preset(WindowPreset::Lung),
            format,
            ..RenderOptions::default()
        };
        let started = Instant::now();
        let mut size = 0;
        for _ in 0..iterations {
            size = render::render_frame(&file, &options)?.bytes.len();
        }
        report(&format!("{label}, {size} bytes"), started, iterations);
    }
    let started = Instant::now();
    for _ in 0..iterations {
        std::hint::black_box(render::thumbnail(&file, 128)?);
    }
    report("thumbnail 128 px PNG", started, iterations);
    Ok(())
}

fn report(label: &str, started: Instant, iterations: u32) {
    let per = started.elapsed().as_secs_f64() * 1000.0 / f64::from(iterations);
    println!("{label}: {per:.2} ms per frame ({iterations} runs)");
}
