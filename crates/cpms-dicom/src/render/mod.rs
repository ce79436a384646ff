//! Rendering one frame to PNG or JPEG with windowing, for viewers, WADO-RS rendered
//! resources and thumbnails.

mod codecs;
mod color;
mod decode;
mod grey;
mod rle;
mod scale;

use dicom_core::Tag;
use dicom_dictionary_std::tags;

pub use decode::{DecodedFrame, decode_frame};
pub use grey::{Rescale, VoiFunction, Window};

use crate::{DicomFile, RenderError, attrs};
use color::PaletteChannel;

/// Largest output width or height.
pub const MAX_OUTPUT_SIDE: u32 = 8192;

/// Named window presets (centre/width in Hounsfield units).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowPreset {
    /// 40/400.
    SoftTissue,
    /// -600/1500.
    Lung,
    /// 300/1500.
    Bone,
    /// 40/80.
    Brain,
}

impl WindowPreset {
    /// The preset's window.
    pub fn window(self) -> Window {
        let (center, width) = match self {
            WindowPreset::SoftTissue => (40.0, 400.0),
            WindowPreset::Lung => (-600.0, 1500.0),
            WindowPreset::Bone => (300.0, 1500.0),
            WindowPreset::Brain => (40.0, 80.0),
        };
        Window { center, width }
    }

    /// Parses `soft-tissue`, `lung`, `bone` or `brain` (case-insensitive).
    pub fn from_name(name: &str) -> Option<WindowPreset> {
        match name.to_ascii_lowercase().replace('_', "-").as_str() {
            "soft-tissue" | "softtissue" | "abdomen" => Some(WindowPreset::SoftTissue),
            "lung" => Some(WindowPreset::Lung),
            "bone" => Some(WindowPreset::Bone),
            "brain" => Some(WindowPreset::Brain),
            _ => None,
        }
    }
}

/// Where the greyscale window comes from.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum WindowChoice {
    /// The file's first Window Center/Width; the frame's value range when it has none.
    #[default]
    FromFile,
    /// A named preset.
    Preset(WindowPreset),
    /// Explicit centre and width.
    Explicit(Window),
    /// The frame's full value range.
    MinMax,
}

/// Output image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// PNG with fast compression.
    #[default]
    Png,
    /// JPEG at the given quality (1–100); smaller for large frames.
    Jpeg {
        /// Encoder quality.
        quality: u8,
    },
}

/// Output size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputSize {
    /// The frame's own size.
    #[default]
    Original,
    /// Scaled to fit inside the box, keeping the aspect ratio (thumbnails).
    Fit {
        /// Box width.
        width: u32,
        /// Box height.
        height: u32,
    },
    /// Exactly this size (aspect ratio not kept).
    Exact {
        /// Output width.
        width: u32,
        /// Output height.
        height: u32,
    },
}

/// What to render.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RenderOptions {
    /// Zero-based frame index.
    pub frame: u32,
    /// Window for greyscale images (ignored for colour).
    pub window: WindowChoice,
    /// Invert greyscale output (on top of MONOCHROME1's own inversion).
    pub invert: bool,
    /// Output format.
    pub format: OutputFormat,
    /// Output size.
    pub size: OutputSize,
}

/// An encoded image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedImage {
    /// PNG or JPEG bytes.
    pub bytes: Vec<u8>,
    /// `image/png` or `image/jpeg`.
    pub media_type: &'static str,
    /// Output width.
    pub width: u32,
    /// Output height.
    pub height: u32,
}

/// 8-bit pixels before encoding: luminance (1 channel) or RGB (3 channels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pixels {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// 1 or 3.
    pub channels: u8,
    /// Row-major interleaved samples.
    pub data: Vec<u8>,
}

/// Renders one frame to display pixels (window applied, resized), without encoding.
pub fn render_pixels(file: &DicomFile, options: &RenderOptions) -> Result<Pixels, RenderError> {
    let frame = decode_frame(file, options.frame)?;
    let (data, channels) =
        if frame.samples_per_pixel == 1 && frame.photometric.starts_with("MONOCHROME") {
            let obj = file.object();
            let rescale = Rescale {
                slope: attrs::float(obj, tags::RESCALE_SLOPE)
                    .filter(|s| *s != 0.0)
                    .unwrap_or(1.0),
                intercept: attrs::float(obj, tags::RESCALE_INTERCEPT).unwrap_or(0.0),
            };
            let window = match options.window {
                WindowChoice::FromFile => file_window(file),
                WindowChoice::Preset(preset) => Some(preset.window()),
                WindowChoice::Explicit(window) => Some(window),
                WindowChoice::MinMax => None,
            };
            let invert = (frame.photometric == "MONOCHROME1") != options.invert;
            (
                grey::to_luma(&frame, rescale, window, voi_function(file), invert),
                1,
            )
        } else {
            (color::to_rgb(&frame, palette(file)?.as_ref())?, 3)
        };
    let (width, height) = output_size(frame.columns, frame.rows, options.size)?;
    let data = scale::resample(&data, frame.columns, frame.rows, channels, width, height);
    Ok(Pixels {
        width,
        height,
        channels: channels as u8,
        data,
    })
}

/// Renders one frame and encodes it.
pub fn render_frame(
    file: &DicomFile,
    options: &RenderOptions,
) -> Result<RenderedImage, RenderError> {
    let pixels = render_pixels(file, options)?;
    match options.format {
        OutputFormat::Png => encode_png(&pixels),
        OutputFormat::Jpeg { quality } => encode_jpeg(&pixels, quality),
    }
}

/// A PNG thumbnail of the first frame fitting a `side` × `side` box.
pub fn thumbnail(file: &DicomFile, side: u32) -> Result<RenderedImage, RenderError> {
    render_frame(
        file,
        &RenderOptions {
            size: OutputSize::Fit {
                width: side,
                height: side,
            },
            ..RenderOptions::default()
        },
    )
}

fn file_window(file: &DicomFile) -> Option<Window> {
    let obj = file.object();
    let center = attrs::float(obj, tags::WINDOW_CENTER)?;
    let width = attrs::float(obj, tags::WINDOW_WIDTH)?;
    (width >= 1.0).then_some(Window { center, width })
}

fn voi_function(file: &DicomFile) -> VoiFunction {
    match attrs::string(file.object(), tags::VOILUT_FUNCTION).as_deref() {
        Some("LINEAR_EXACT") => VoiFunction::LinearExact,
        Some("SIGMOID") => VoiFunction::Sigmoid,
        _ => VoiFunction::Linear,
    }
}

fn palette(file: &DicomFile) -> Result<Option<[PaletteChannel; 3]>, RenderError> {
    let obj = file.object();
    let channel = |descriptor: Tag, data: Tag| -> Result<Option<PaletteChannel>, RenderError> {
        let Some(descriptor) = obj.element_opt(descriptor).ok().flatten() else {
            return Ok(None);
        };
        let values = descriptor
            .value()
            .to_multi_int::<i64>()
            .map_err(|e| RenderError::Malformed(format!("palette descriptor: {e}")))?;
        let [count, first_mapped, bits] = values[..] else {
            return Err(RenderError::Malformed(
                "palette descriptor needs three values".into(),
            ));
        };
        let count = if count <= 0 { 65_536 } else { count as usize };
        let entries: Vec<u16> = obj
            .element_opt(data)
            .ok()
            .flatten()
            .and_then(|e| e.value().to_bytes().ok())
            .map(|bytes| {
                bytes
                    .chunks_exact(2)
                    .map(|w| u16::from_le_bytes([w[0], w[1]]))
                    .take(count)
                    .collect()
            })
            .unwrap_or_default();
        if entries.is_empty() {
            return Err(RenderError::Unsupported {
                reason: "palette without inline lookup table data (segmented palettes are not supported)".into(),
            });
        }
        Ok(Some(PaletteChannel {
            first_mapped,
            bits: bits.clamp(1, 16) as u16,
            entries,
        }))
    };
    let red = channel(
        tags::RED_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
        tags::RED_PALETTE_COLOR_LOOKUP_TABLE_DATA,
    )?;
    let green = channel(
        tags::GREEN_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
        tags::GREEN_PALETTE_COLOR_LOOKUP_TABLE_DATA,
    )?;
    let blue = channel(
        tags::BLUE_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
        tags::BLUE_PALETTE_COLOR_LOOKUP_TABLE_DATA,
    )?;
    Ok(match (red, green, blue) {
        (Some(r), Some(g), Some(b)) => Some([r, g, b]),
        _ => None,
    })
}

fn output_size(width: u32, height: u32, size: OutputSize) -> Result<(u32, u32), RenderError> {
    let (w, h) = match size {
        OutputSize::Original => (width, height),
        OutputSize::Exact { width, height } => (width, height),
        OutputSize::Fit {
            width: bw,
            height: bh,
        } => {
            if bw == 0 || bh == 0 {
                return Err(RenderError::InvalidSize(format!("box {bw}×{bh} is empty")));
            }
            let scale = (f64::from(bw) / f64::from(width)).min(f64::from(bh) / f64::from(height));
            (
                ((f64::from(width) * scale).round() as u32).max(1),
                ((f64::from(height) * scale).round() as u32).max(1),
            )
        }
    };
    if w == 0 || h == 0 || w > MAX_OUTPUT_SIDE || h > MAX_OUTPUT_SIDE {
        return Err(RenderError::InvalidSize(format!(
            "{w}×{h} (each side must be 1 to {MAX_OUTPUT_SIDE})"
        )));
    }
    Ok((w, h))
}

fn encode_png(pixels: &Pixels) -> Result<RenderedImage, RenderError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, pixels.width, pixels.height);
    encoder.set_color(if pixels.channels == 1 {
        png::ColorType::Grayscale
    } else {
        png::ColorType::Rgb
    });
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder
        .write_header()
        .map_err(|e| RenderError::Encode(e.to_string()))?;
    writer
        .write_image_data(&pixels.data)
        .map_err(|e| RenderError::Encode(e.to_string()))?;
    writer
        .finish()
        .map_err(|e| RenderError::Encode(e.to_string()))?;
    Ok(RenderedImage {
        bytes,
        media_type: "image/png",
        width: pixels.width,
        height: pixels.height,
    })
}

fn encode_jpeg(pixels: &Pixels, quality: u8) -> Result<RenderedImage, RenderError> {
    let too_big = |side: u32| {
        u16::try_from(side)
            .map_err(|_| RenderError::InvalidSize(format!("{side} exceeds JPEG's 65535")))
    };
    let (width, height) = (too_big(pixels.width)?, too_big(pixels.height)?);
    let mut bytes = Vec::new();
    let color = if pixels.channels == 1 {
        jpeg_encoder::ColorType::Luma
    } else {
        jpeg_encoder::ColorType::Rgb
    };
    jpeg_encoder::Encoder::new(&mut bytes, quality.clamp(1, 100))
        .encode(&pixels.data, width, height, color)
        .map_err(|e| RenderError::Encode(e.to_string()))?;
    Ok(RenderedImage {
        bytes,
        media_type: "image/jpeg",
        width: pixels.width,
        height: pixels.height,
    })
}
