//! The embedded typeface: DejaVu Sans (regular and bold), which covers Latin
//! with its extensions, Greek and Cyrillic. Only the glyphs a document uses
//! are embedded, as a CID-keyed TrueType subset with a ToUnicode map so text
//! can be searched and copied.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId};

use super::{PdfError, Refs, compress};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Weight {
    Regular,
    Bold,
}

/// Both faces of the document typeface.
pub(super) struct Fonts {
    regular: EmbeddedFont,
    bold: EmbeddedFont,
}

impl Fonts {
    pub(super) fn load() -> Result<Self, PdfError> {
        Ok(Fonts {
            regular: EmbeddedFont::load(dejavu::sans::regular(), "DejaVuSans", "F1", 80.0)?,
            bold: EmbeddedFont::load(dejavu::sans::bold(), "DejaVuSans-Bold", "F2", 140.0)?,
        })
    }

    pub(super) fn get(&self, weight: Weight) -> &EmbeddedFont {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    pub(super) fn get_mut(&mut self, weight: Weight) -> &mut EmbeddedFont {
        match weight {
            Weight::Regular => &mut self.regular,
            Weight::Bold => &mut self.bold,
        }
    }

    pub(super) fn all(&self) -> [&EmbeddedFont; 2] {
        [&self.regular, &self.bold]
    }
}

pub(super) struct EmbeddedFont {
    face: Face<'static>,
    data: &'static [u8],
    postscript_name: &'static str,
    /// Name of the font in page resource dictionaries.
    pub(super) resource: &'static str,
    /// Dominant vertical stem width, a hint for viewers that substitute.
    stem_v: f32,
    /// Old glyph id → glyph id in the subset, which is also the CID written
    /// into content streams.
    remapper: GlyphRemapper,
    /// Subset glyph id → the character it was used for.
    unicode: BTreeMap<u16, char>,
}

impl EmbeddedFont {
    fn load(
        data: &'static [u8],
        postscript_name: &'static str,
        resource: &'static str,
        stem_v: f32,
    ) -> Result<Self, PdfError> {
        let face = Face::parse(data, 0).map_err(|e| PdfError::Font(e.to_string()))?;
        Ok(EmbeddedFont {
            face,
            data,
            postscript_name,
            resource,
            stem_v,
            remapper: GlyphRemapper::new(),
            unicode: BTreeMap::new(),
        })
    }

    /// The glyph drawn for `c`: its own, or the replacement character when the
    /// typeface lacks it (visible as such rather than silently dropped).
    fn glyph(&self, c: char) -> (GlyphId, char) {
        match self.face.glyph_index(c) {
            Some(g) => (g, c),
            None => (
                self.face.glyph_index('\u{FFFD}').unwrap_or(GlyphId(0)),
                '\u{FFFD}',
            ),
        }
    }

    /// Advance width of `text` at `size` points, without kerning.
    pub(super) fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| u32::from(self.face.glyph_hor_advance(self.glyph(c).0).unwrap_or(0)))
            .sum();
        units as f32 * size / f32::from(self.face.units_per_em())
    }

    /// Encodes `text` as two-byte CIDs of the subset, recording the glyphs
    /// for embedding.
    pub(super) fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let (glyph, shown) = self.glyph(c);
            let cid = self.remapper.remap(glyph.0);
            self.unicode.entry(cid).or_insert(shown);
            bytes.extend_from_slice(&cid.to_be_bytes());
        }
        bytes
    }

    /// Writes the Type 0 font, its descendant, descriptor, subset font file
    /// and ToUnicode map; returns the reference of the Type 0 font.
    pub(super) fn write(&self, pdf: &mut Pdf, refs: &mut Refs) -> Result<Ref, PdfError> {
        let [type0, cid, descriptor, file, cmap] = refs.take();
        let subset = subsetter::subset(self.data, 0, &self.remapper)
            .map_err(|e| PdfError::Font(format!("subsetting {}: {e}", self.postscript_name)))?;
        let base_name = format!("{}+{}", subset_tag(&self.unicode), self.postscript_name);
        let base_name = Name(base_name.as_bytes());
        let system_info = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };

        pdf.type0_font(type0)
            .base_font(base_name)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);

        let per_mille = 1000.0 / f32::from(self.face.units_per_em());
        let widths: Vec<f32> = self
            .remapper
            .remapped_gids()
            .map(|old| {
                f32::from(self.face.glyph_hor_advance(GlyphId(old)).unwrap_or(0)) * per_mille
            })
            .collect();
        let mut cid_font = pdf.cid_font(cid);
        cid_font
            .subtype(CidFontType::Type2)
            .base_font(base_name)
            .system_info(system_info)
            .font_descriptor(descriptor)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        cid_font.widths().consecutive(0, widths);
        cid_font.finish();

        let bbox = self.face.global_bounding_box();
        let scale = |v: i16| f32::from(v) * per_mille;
        pdf.font_descriptor(descriptor)
            .name(base_name)
            .flags(FontFlags::NON_SYMBOLIC)
            .bbox(Rect::new(
                scale(bbox.x_min),
                scale(bbox.y_min),
                scale(bbox.x_max),
                scale(bbox.y_max),
            ))
            .italic_angle(0.0)
            .ascent(scale(self.face.ascender()))
            .descent(scale(self.face.descender()))
            .cap_height(scale(
                self.face.capital_height().unwrap_or(self.face.ascender()),
            ))
            .stem_v(self.stem_v)
            .font_file2(file);

        let compressed = compress(&subset);
        pdf.stream(file, &compressed)
            .filter(Filter::FlateDecode)
            .pair(
                Name(b"Length1"),
                i32::try_from(subset.len()).unwrap_or(i32::MAX),
            );

        let mut unicode = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), system_info);
        for (&cid, &c) in &self.unicode {
            unicode.pair(cid, c);
        }
        let unicode = unicode.finish();
        pdf.cmap(cmap, unicode.as_slice());
        Ok(type0)
    }
}

/// Subset fonts carry a six-letter tag that differs between subsets; it is
/// derived from the glyph set so the same document renders byte-identically.
fn subset_tag(glyphs: &BTreeMap<u16, char>) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for (&cid, &c) in glyphs {
        for byte in cid
            .to_be_bytes()
            .into_iter()
            .chain((c as u32).to_be_bytes())
        {
            hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
        }
    }
    (0..6)
        .map(|i| char::from(b'A' + ((hash >> (i * 5)) % 26) as u8))
        .collect()
}
