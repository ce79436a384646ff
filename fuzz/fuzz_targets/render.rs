//! Decoding and rendering whatever parses: every codec path must return, not panic.
#![no_main]

mod limits;

use cpms_dicom::render::{self, OutputSize, RenderOptions, WindowChoice};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(file) = cpms_dicom::DicomFile::from_bytes(data, &limits::limits()) else {
        return;
    };
    let frames = file.geometry().map_or(1, |g| g.frames);
    for frame in [0, frames.saturating_sub(1)] {
        let options = RenderOptions {
            frame,
            window: WindowChoice::MinMax,
            size: OutputSize::Fit { width: 64, height: 64 },
            ..RenderOptions::default()
        };
        let _ = render::render_frame(&file, &options);
    }
});
