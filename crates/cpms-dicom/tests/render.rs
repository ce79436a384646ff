//! Rendering per transfer syntax and photometric interpretation, windowing and errors.

#![allow(clippy::unwrap_used)] // unwrap is the clearest assertion in tests

use cpms_dicom::render::{
    self, OutputFormat, OutputSize, RenderOptions, Window, WindowChoice, WindowPreset,
};
use cpms_dicom::synth::{self, Encoding, Identity, InstanceIds, TestImage};
use cpms_dicom::{DicomFile, Limits, RenderError};

fn file(image: &TestImage, encoding: Encoding) -> DicomFile {
    let bytes = synth::instance(
        image,
        encoding,
        &Identity::sample(),
        &InstanceIds::derived("render", 1),
    )
    .unwrap_or_else(|e| panic!("synthesising {encoding:?}: {e}"));
    DicomFile::from_bytes(&bytes, &Limits::default())
        .unwrap_or_else(|e| panic!("parsing {encoding:?}: {e}"))
}

/// Largest absolute difference between decoded stored values and the generated ones.
fn max_error(image: &TestImage, encoding: Encoding, frame: u32) -> i64 {
    let decoded = render::decode_frame(&file(image, encoding), frame)
        .unwrap_or_else(|e| panic!("decoding {encoding:?}: {e}"));
    assert_eq!(
        (decoded.rows, decoded.columns),
        (u32::from(image.rows), u32::from(image.columns))
    );
    let len =
        usize::from(image.rows) * usize::from(image.columns) * usize::from(image.samples_per_pixel);
    let expected = &image.samples[len * frame as usize..len * (frame as usize + 1)];
    expected
        .iter()
        .enumerate()
        .map(|(i, want)| {
            let want = if image.signed {
                i64::from(*want as i16)
            } else {
                i64::from(*want)
            };
            (decoded.sample(i).unwrap() - want).abs()
        })
        .max()
        .unwrap()
}

#[test]
fn sixteen_bit_signed_ct_decodes_in_every_lossless_syntax() {
    let ct = TestImage::ct_slice(64, 48, 0.5, 3);
    for encoding in [
        Encoding::ImplicitVrLittleEndian,
        Encoding::ExplicitVrLittleEndian,
        Encoding::ExplicitVrBigEndian,
        Encoding::DeflatedExplicitVrLittleEndian,
        Encoding::RleLossless,
        Encoding::JpegLossless,
        Encoding::JpegLosslessSv1,
        Encoding::JpegLsLossless,
        Encoding::Jpeg2000Lossless,
    ] {
        assert_eq!(
            max_error(&ct, encoding, 0),
            0,
            "{encoding:?} is not lossless"
        );
    }
}

#[test]
fn lossy_syntaxes_stay_within_tolerance() {
    let ct = TestImage::ct_slice(64, 64, 0.5, 3);
    assert!(max_error(&ct, Encoding::JpegLsNearLossless(3), 0) <= 3);
    let j2k = max_error(&ct, Encoding::Jpeg2000Lossy(8), 0);
    assert!(j2k > 0 && j2k < 400, "JPEG 2000 lossy error {j2k}");
    let grey = TestImage::grey8(32, 40, 1);
    assert!(max_error(&grey, Encoding::JpegBaseline(95), 0) <= 8);
    assert!(max_error(&grey, Encoding::JpegExtended(95), 0) <= 8);
}

#[test]
fn multi_frame_images_decode_each_frame() {
    let grey = TestImage::grey8(24, 32, 3);
    for encoding in [
        Encoding::ExplicitVrLittleEndian,
        Encoding::RleLossless,
        Encoding::JpegLsLossless,
        Encoding::JpegLosslessSv1,
        Encoding::Jpeg2000Lossless,
    ] {
        for frame in 0..3 {
            assert_eq!(
                max_error(&grey, encoding, frame),
                0,
                "{encoding:?} frame {frame}"
            );
        }
    }
    let err = render::decode_frame(&file(&grey, Encoding::ExplicitVrLittleEndian), 3).unwrap_err();
    assert!(
        matches!(
            err,
            RenderError::FrameOutOfRange {
                frame: 3,
                frames: 3
            }
        ),
        "{err}"
    );
}

fn rgb_error(image: &TestImage, encoding: Encoding) -> (f64, u8) {
    let pixels = render::render_pixels(&file(image, encoding), &RenderOptions::default()).unwrap();
    assert_eq!(pixels.channels, 3);
    let want = synth::phantom::rgb_pattern(image.rows.into(), image.columns.into());
    let diffs: Vec<u8> = pixels
        .data
        .iter()
        .zip(&want)
        .map(|(a, b)| a.abs_diff(*b))
        .collect();
    let mean = diffs.iter().map(|d| f64::from(*d)).sum::<f64>() / diffs.len() as f64;
    (mean, *diffs.iter().max().unwrap())
}

#[test]
fn colour_models_render_to_the_original_rgb() {
    let rgb = TestImage::color(32, 48, "RGB");
    assert_eq!(rgb_error(&rgb, Encoding::ExplicitVrLittleEndian), (0.0, 0));
    assert_eq!(rgb_error(&rgb, Encoding::RleLossless), (0.0, 0));
    assert_eq!(rgb_error(&rgb, Encoding::JpegLsLossless), (0.0, 0));
    let (mean, max) = rgb_error(
        &TestImage::color(32, 48, "YBR_FULL"),
        Encoding::ExplicitVrLittleEndian,
    );
    assert!(mean < 1.0 && max <= 2, "YBR_FULL mean {mean} max {max}");
    let (mean, max) = rgb_error(
        &TestImage::color(32, 48, "YBR_FULL_422"),
        Encoding::ExplicitVrBigEndian,
    );
    // Chroma is shared by pixel pairs, so edges of the disc differ strongly; the mean stays low.
    assert!(
        mean < 3.0 && max <= 100,
        "YBR_FULL_422 mean {mean} max {max}"
    );
    let (mean, _) = rgb_error(&rgb, Encoding::JpegBaseline(95));
    assert!(mean < 6.0, "JPEG baseline colour mean error {mean}");
}

#[test]
fn palette_colour_maps_through_the_lookup_tables() {
    let image = TestImage::palette(8, 64);
    let palette = image.palette.clone().unwrap();
    let pixels = render::render_pixels(
        &file(&image, Encoding::ExplicitVrLittleEndian),
        &RenderOptions::default(),
    )
    .unwrap();
    for (i, index) in image.samples.iter().enumerate().take(64) {
        let index = usize::from(*index);
        let want = [
            palette.red[index] >> 8,
            palette.green[index] >> 8,
            palette.blue[index] >> 8,
        ]
        .map(|v| v as u8);
        assert_eq!(&pixels.data[i * 3..i * 3 + 3], &want, "pixel {i}");
    }
}

/// Rendered value at (row, col) of a greyscale render.
fn grey_at(file: &DicomFile, window: WindowChoice, invert: bool, row: usize, col: usize) -> u8 {
    let pixels = render::render_pixels(
        file,
        &RenderOptions {
            window,
            invert,
            ..RenderOptions::default()
        },
    )
    .unwrap();
    pixels.data[row * pixels.width as usize + col]
}

#[test]
fn windowing_follows_the_linear_voi_function() {
    let ct = TestImage::ct_slice(128, 128, 0.5, 0);
    let hu = synth::phantom::ct_hounsfield(128, 128, 0.5, 0);
    let file = file(&ct, Encoding::ExplicitVrLittleEndian);
    let soft = WindowChoice::Preset(WindowPreset::SoftTissue);
    // Corner is air (-1000 HU): black in soft tissue window.
    assert_eq!(hu[0], -1000);
    assert_eq!(grey_at(&file, soft, false, 0, 0), 0);
    // Every pixel matches the formula with rescale applied.
    let pixels = render::render_pixels(
        &file,
        &RenderOptions {
            window: WindowChoice::Preset(WindowPreset::Lung),
            ..RenderOptions::default()
        },
    )
    .unwrap();
    let lung = WindowPreset::Lung.window();
    for (value, out) in hu.iter().zip(&pixels.data) {
        let x = f64::from(*value);
        let expected = if x <= lung.center - 0.5 - (lung.width - 1.0) / 2.0 {
            0.0
        } else if x > lung.center - 0.5 + (lung.width - 1.0) / 2.0 {
            255.0
        } else {
            ((x - (lung.center - 0.5)) / (lung.width - 1.0) + 0.5) * 255.0
        };
        assert!(
            (f64::from(*out) - expected).abs() <= 1.0,
            "HU {value}: got {out}, expected {expected}"
        );
    }
    // An explicit narrow window saturates: soft tissue (40±12 HU) is mid-grey at 40/400, white at -500/10.
    let mid = grey_at(
        &file,
        WindowChoice::Explicit(Window {
            center: 40.0,
            width: 400.0,
        }),
        false,
        64,
        20,
    );
    assert!(
        (100..=160).contains(&mid),
        "soft tissue at 40/400 rendered {mid}"
    );
    assert_eq!(
        grey_at(
            &file,
            WindowChoice::Explicit(Window {
                center: -500.0,
                width: 10.0
            }),
            false,
            64,
            20
        ),
        255
    );
    // Invert flips.
    assert_eq!(grey_at(&file, soft, true, 0, 0), 255);
}

#[test]
fn monochrome1_is_inverted() {
    let mono1 = TestImage {
        photometric: "MONOCHROME1",
        ..TestImage::ct_slice(32, 32, 0.5, 0)
    };
    let file = file(&mono1, Encoding::ExplicitVrLittleEndian);
    let soft = WindowChoice::Preset(WindowPreset::SoftTissue);
    assert_eq!(
        grey_at(&file, soft, false, 0, 0),
        255,
        "air must be white in MONOCHROME1"
    );
    assert_eq!(grey_at(&file, soft, true, 0, 0), 0);
}

#[test]
fn window_from_file_and_min_max() {
    let radiograph = TestImage::radiograph(40, 30);
    let file = file(&radiograph, Encoding::ExplicitVrLittleEndian);
    let from_file = render::render_pixels(&file, &RenderOptions::default()).unwrap();
    let window = Window {
        center: 2048.0,
        width: 4096.0,
    };
    for (value, out) in radiograph.samples.iter().zip(&from_file.data) {
        assert_eq!(
            *out,
            window.apply(f64::from(*value), render::VoiFunction::Linear)
        );
    }
    let stretched = render::render_pixels(
        &file,
        &RenderOptions {
            window: WindowChoice::MinMax,
            ..RenderOptions::default()
        },
    )
    .unwrap();
    assert_eq!(*stretched.data.iter().min().unwrap(), 0);
    assert_eq!(*stretched.data.iter().max().unwrap(), 255);
}

#[test]
fn png_and_jpeg_outputs_decode_to_the_rendered_pixels() {
    let file = file(
        &TestImage::ct_slice(64, 96, 0.5, 0),
        Encoding::ExplicitVrLittleEndian,
    );
    let options = RenderOptions::default();
    let pixels = render::render_pixels(&file, &options).unwrap();
    let png = render::render_frame(&file, &options).unwrap();
    assert_eq!(
        (png.media_type, png.width, png.height),
        ("image/png", 96, 64)
    );
    let mut reader = png::Decoder::new(std::io::Cursor::new(&png.bytes))
        .read_info()
        .unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    assert_eq!(
        (info.width, info.height, info.color_type),
        (96, 64, png::ColorType::Grayscale)
    );
    assert_eq!(&buffer[..info.buffer_size()], pixels.data.as_slice());
    let jpeg = render::render_frame(
        &file,
        &RenderOptions {
            format: OutputFormat::Jpeg { quality: 80 },
            ..options
        },
    )
    .unwrap();
    assert_eq!(jpeg.media_type, "image/jpeg");
    assert_eq!(&jpeg.bytes[..2], &[0xFF, 0xD8]);
}

#[test]
fn thumbnails_fit_the_box_and_sizes_are_checked() {
    let file = file(
        &TestImage::ct_slice(64, 128, 0.5, 0),
        Encoding::ExplicitVrLittleEndian,
    );
    let thumb = render::thumbnail(&file, 32).unwrap();
    assert_eq!((thumb.width, thumb.height), (32, 16));
    let exact = render::render_frame(
        &file,
        &RenderOptions {
            size: OutputSize::Exact {
                width: 300,
                height: 10,
            },
            ..RenderOptions::default()
        },
    )
    .unwrap();
    assert_eq!((exact.width, exact.height), (300, 10));
    let err = render::render_frame(
        &file,
        &RenderOptions {
            size: OutputSize::Exact {
                width: 0,
                height: 10,
            },
            ..RenderOptions::default()
        },
    )
    .unwrap_err();
    assert!(matches!(err, RenderError::InvalidSize(_)), "{err}");
    let err = render::render_frame(
        &file,
        &RenderOptions {
            size: OutputSize::Fit {
                width: 100_000,
                height: 100_000,
            },
            ..RenderOptions::default()
        },
    )
    .unwrap_err();
    assert!(matches!(err, RenderError::InvalidSize(_)), "{err}");
}

#[test]
fn undecodable_frames_give_a_typed_error() {
    // Corrupt the JPEG-LS codestream inside an otherwise valid instance.
    let bytes = synth::instance(
        &TestImage::grey8(16, 16, 1),
        Encoding::JpegLsLossless,
        &Identity::sample(),
        &InstanceIds::derived("bad", 1),
    )
    .unwrap();
    let mut broken = bytes.clone();
    let soi = broken.windows(2).rposition(|w| w == [0xFF, 0xD8]).unwrap();
    broken[soi] = 0x00;
    broken[soi + 1] = 0x00;
    let file = DicomFile::from_bytes(&broken, &Limits::default()).unwrap();
    let err = render::render_frame(&file, &RenderOptions::default()).unwrap_err();
    assert!(matches!(err, RenderError::Unsupported { .. }), "{err}");

    // A known transfer syntax without a pixel decoder (JPIP Referenced) is reported.
    let uid = bytes
        .windows(22)
        .position(|w| w == b"1.2.840.10008.1.2.4.80")
        .unwrap();
    let mut relabelled = bytes.clone();
    relabelled[uid..uid + 22].copy_from_slice(b"1.2.840.10008.1.2.4.94");
    let file = DicomFile::from_bytes(&relabelled, &Limits::default()).unwrap();
    let err = render::render_frame(&file, &RenderOptions::default()).unwrap_err();
    assert!(matches!(err, RenderError::Unsupported { .. }), "{err}");

    let no_pixels = synth::ct_study(&Identity::sample(), 1, 8, 8)
        .unwrap()
        .remove(0);
    let file = DicomFile::from_bytes(&no_pixels, &Limits::default()).unwrap();
    assert!(
        render::render_frame(
            &file,
            &RenderOptions {
                frame: 1,
                ..RenderOptions::default()
            }
        )
        .is_err()
    );
}
