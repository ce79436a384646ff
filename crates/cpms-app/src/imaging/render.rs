//! Frames and thumbnails as PNG or JPEG, decoded from the de-identified
//! instance on a blocking thread. A frame that cannot be decoded is a
//! `PreviewUnavailable` error naming the reason, never an internal error.

use cpms_dicom::DicomFile;
use cpms_dicom::render::{self, RenderOptions};

use super::{OutputFormat, OutputSize, WindowChoice};
use crate::{App, AppError, Caller, ErrorCode};

/// Thumbnails fit a square of this many pixels.
const THUMBNAIL_SIDE: u32 = 160;
/// Frames with more pixels than this default to JPEG, which is much
/// smaller for large radiographs.
const JPEG_ABOVE_PIXELS: u64 = 1024 * 1024;
const JPEG_QUALITY: u8 = 90;

/// How to render a frame.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RenderRequest {
    /// Window for greyscale images: from the file, a preset, explicit, or
    /// the frame's range.
    pub window: WindowChoice,
    pub invert: bool,
    /// `None`: PNG, or JPEG for large frames.
    pub format: Option<OutputFormat>,
    pub size: OutputSize,
}

/// Encoded image bytes and their media type.
pub type Rendered = (Vec<u8>, &'static str);

impl App {
    /// One frame (zero-based) of an instance, rendered.
    pub async fn rendered_frame(
        &self,
        caller: &Caller,
        study_uid: &str,
        series_uid: &str,
        sop_uid: &str,
        frame: u32,
        request: RenderRequest,
    ) -> Result<Rendered, AppError> {
        let (visible, instance) = self
            .visible_instance(caller, study_uid, series_uid, sop_uid)
            .await?;
        let bytes = self.instance_blob(&instance).await?;
        self.audit_read(
            caller,
            &visible,
            &format!("frame {frame} of instance {}", instance.sop_uid),
        )
        .await?;
        let pixels =
            u64::try_from(instance.rows.unwrap_or(0) * instance.columns.unwrap_or(0)).unwrap_or(0);
        let format = request.format.unwrap_or(if pixels > JPEG_ABOVE_PIXELS {
            OutputFormat::Jpeg {
                quality: JPEG_QUALITY,
            }
        } else {
            OutputFormat::Png
        });
        let options = RenderOptions {
            frame,
            window: request.window,
            invert: request.invert,
            format,
            size: request.size,
        };
        self.render_blocking(bytes, move |file| render::render_frame(file, &options))
            .await
    }

    /// A thumbnail of a series (its middle instance's first frame), PNG.
    pub async fn series_thumbnail(
        &self,
        caller: &Caller,
        study_uid: &str,
        series_uid: &str,
    ) -> Result<Rendered, AppError> {
        let (visible, instance) = self.key_instance(caller, study_uid, series_uid).await?;
        let bytes = self.instance_blob(&instance).await?;
        self.audit_read(
            caller,
            &visible,
            &format!("thumbnail of series {}", instance.series_uid),
        )
        .await?;
        self.render_blocking(bytes, |file| render::thumbnail(file, THUMBNAIL_SIDE))
            .await
    }

    async fn render_blocking(
        &self,
        bytes: Vec<u8>,
        draw: impl FnOnce(&DicomFile) -> Result<render::RenderedImage, cpms_dicom::RenderError>
        + Send
        + 'static,
    ) -> Result<Rendered, AppError> {
        let limits = self.settings().imaging.limits.clone();
        let drawn = tokio::task::spawn_blocking(move || {
            let file = DicomFile::from_bytes(&bytes, &limits).map_err(|e| e.to_string())?;
            draw(&file).map_err(|e| e.to_string())
        })
        .await
        .map_err(AppError::internal)?;
        match drawn {
            Ok(image) => Ok((image.bytes, image.media_type)),
            Err(reason) => Err(AppError::new(
                ErrorCode::PreviewUnavailable,
                format!("Preview not available: {reason}"),
            )),
        }
    }
}
