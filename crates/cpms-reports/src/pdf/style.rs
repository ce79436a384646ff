//! Page geometry, type sizes and colours of every generated document, in
//! PDF points (1/72 inch).

/// A4 portrait.
pub(super) const PAGE_WIDTH: f32 = 595.28;
pub(super) const PAGE_HEIGHT: f32 = 841.89;

/// 20 mm side margins; the top and bottom leave room for the running
/// header and footer.
pub(super) const MARGIN_X: f32 = 56.7;
pub(super) const BODY_TOP: f32 = PAGE_HEIGHT - 70.0;
pub(super) const BODY_BOTTOM: f32 = 64.0;
pub(super) const BODY_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;

pub(super) const HEADER_BASELINE: f32 = PAGE_HEIGHT - 40.0;
pub(super) const HEADER_RULE: f32 = PAGE_HEIGHT - 48.0;
pub(super) const FOOTER_RULE: f32 = 48.0;
pub(super) const FOOTER_BASELINE: f32 = 36.0;
pub(super) const RUNNING_SIZE: f32 = 8.0;

pub(super) const BODY_SIZE: f32 = 10.0;
pub(super) const TABLE_SIZE: f32 = 9.0;
pub(super) const TITLE_SIZE: f32 = 18.0;
pub(super) const SUBTITLE_SIZE: f32 = 11.0;
/// Heading sizes for levels 1, 2 and 3.
pub(super) const HEADING_SIZES: [f32; 3] = [14.0, 12.0, 10.5];
/// Baseline-to-baseline distance as a multiple of the type size.
pub(super) const LEADING: f32 = 1.35;
/// Vertical space after every block.
pub(super) const BLOCK_GAP: f32 = 8.0;
pub(super) const BULLET_INDENT: f32 = 14.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Rgb(pub f32, pub f32, pub f32);

pub(super) const TEXT: Rgb = Rgb(0.10, 0.10, 0.12);
pub(super) const MUTED: Rgb = Rgb(0.33, 0.35, 0.40);
pub(super) const HEADING: Rgb = Rgb(0.05, 0.20, 0.40);
pub(super) const RULE: Rgb = Rgb(0.70, 0.72, 0.76);
pub(super) const TABLE_HEADER_FILL: Rgb = Rgb(0.89, 0.92, 0.96);
pub(super) const NOTICE_FILL: Rgb = Rgb(1.0, 0.97, 0.88);
pub(super) const NOTICE_BORDER: Rgb = Rgb(0.80, 0.58, 0.10);
