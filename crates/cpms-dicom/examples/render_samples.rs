//! Writes rendered PNGs of the synthetic data for a person to look at:
//! `cargo run -p cpms-dicom --example render_samples -- <output dir>`.

use std::path::PathBuf;

use cpms_dicom::render::{self, RenderOptions, WindowChoice, WindowPreset};
use cpms_dicom::synth::{self, Encoding, Identity, InstanceIds, TestImage};
use cpms_dicom::{DicomFile, Limits};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "render-samples".into()),
    );
    std::fs::create_dir_all(&out)?;
    let identity = Identity::sample();
    let limits = Limits::default();
    let ct = synth::ct_study(&identity, 5, 512, 512)?;
    let slice = DicomFile::from_bytes(&ct[2], &limits)?;
    for (name, preset) in [
        ("ct-lung.png", WindowPreset::Lung),
        ("ct-bone.png", WindowPreset::Bone),
        ("ct-soft-tissue.png", WindowPreset::SoftTissue),
    ] {
        let options = RenderOptions {
            window: WindowChoice::Preset(preset),
            ..RenderOptions::default()
        };
        std::fs::write(
            out.join(name),
            render::render_frame(&slice, &options)?.bytes,
        )?;
    }
    let radiograph = DicomFile::from_bytes(&synth::radiograph(&identity, 2140, 1760)?, &limits)?;
    let options = RenderOptions {
        size: render::OutputSize::Fit {
            width: 1024,
            height: 1024,
        },
        ..RenderOptions::default()
    };
    std::fs::write(
        out.join("radiograph.png"),
        render::render_frame(&radiograph, &options)?.bytes,
    )?;
    for (name, photometric, encoding) in [
        ("rgb.png", "RGB", Encoding::ExplicitVrLittleEndian),
        (
            "ybr-full-422.png",
            "YBR_FULL_422",
            Encoding::ExplicitVrLittleEndian,
        ),
        (
            "jpeg-baseline-colour.png",
            "RGB",
            Encoding::JpegBaseline(90),
        ),
    ] {
        let image = TestImage::color(256, 320, photometric);
        let bytes = synth::instance(&image, encoding, &identity, &InstanceIds::derived(name, 1))?;
        let file = DicomFile::from_bytes(&bytes, &limits)?;
        std::fs::write(
            out.join(name),
            render::render_frame(&file, &RenderOptions::default())?.bytes,
        )?;
    }
    let palette = synth::instance(
        &TestImage::palette(64, 256),
        Encoding::RleLossless,
        &identity,
        &InstanceIds::derived("palette", 1),
    )?;
    std::fs::write(
        out.join("palette.png"),
        render::render_frame(
            &DicomFile::from_bytes(&palette, &limits)?,
            &RenderOptions::default(),
        )?
        .bytes,
    )?;
    println!("wrote samples to {}", out.display());
    Ok(())
}
