//! Pixel generators: a CT chest phantom, a chest radiograph and colour test patterns.

/// Deterministic pseudo-random noise in `[-1, 1)` for pixel `(x, y)` of slice `z`.
fn noise(x: u32, y: u32, z: u32) -> f64 {
    let mut h = u64::from(x).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ u64::from(y).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
        ^ u64::from(z).wrapping_mul(0x1656_67B1_9E37_79F9);
    h ^= h >> 29;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^= h >> 32;
    (h % 2000) as f64 / 1000.0 - 1.0
}

fn inside_ellipse(x: f64, y: f64, cx: f64, cy: f64, rx: f64, ry: f64) -> bool {
    let dx = (x - cx) / rx;
    let dy = (y - cy) / ry;
    dx * dx + dy * dy <= 1.0
}

/// Hounsfield units of an axial chest slice: air, skin and fat, soft tissue, lungs with
/// vessels, heart, contrast-filled aorta, vertebra with cortical rim and ribs. `position`
/// runs from 0 (lung apex) to 1 (lung base) and changes the lung and heart size.
pub fn ct_hounsfield(rows: u32, columns: u32, position: f64, slice: u32) -> Vec<i16> {
    let mut out = Vec::with_capacity(rows as usize * columns as usize);
    let w = f64::from(columns);
    let h = f64::from(rows);
    let lung_scale = 0.55 + 0.45 * (std::f64::consts::PI * position.clamp(0.0, 1.0)).sin();
    for row in 0..rows {
        for col in 0..columns {
            let x = (f64::from(col) + 0.5) / w;
            let y = (f64::from(row) + 0.5) / h;
            let mut hu = if !inside_ellipse(x, y, 0.5, 0.52, 0.44, 0.34) {
                -1000.0
            } else if !inside_ellipse(x, y, 0.5, 0.52, 0.41, 0.31) {
                -100.0
            } else {
                40.0
            };
            let in_lung = [0.31, 0.69]
                .iter()
                .any(|cx| inside_ellipse(x, y, *cx, 0.47, 0.13 * lung_scale, 0.2 * lung_scale));
            if in_lung {
                let vessel = ((x * 61.0).sin() * (y * 53.0).cos()).abs() > 0.97;
                hu = if vessel { 30.0 } else { -850.0 };
            }
            if inside_ellipse(x, y, 0.46, 0.5, 0.1 * (1.2 - position * 0.4), 0.09) {
                hu = 45.0;
            }
            if inside_ellipse(x, y, 0.54, 0.66, 0.03, 0.03) {
                hu = 180.0;
            }
            if inside_ellipse(x, y, 0.5, 0.75, 0.05, 0.05) {
                hu = if inside_ellipse(x, y, 0.5, 0.75, 0.04, 0.04) {
                    350.0
                } else {
                    1200.0
                };
            }
            let angle = (y - 0.52).atan2(x - 0.5);
            let rib = (angle * 9.0).sin() > 0.92;
            if rib
                && inside_ellipse(x, y, 0.5, 0.52, 0.4, 0.3)
                && !inside_ellipse(x, y, 0.5, 0.52, 0.37, 0.27)
            {
                hu = 900.0;
            }
            if hu > -1000.0 {
                hu += 12.0 * noise(col, row, slice);
            }
            out.push(hu.round() as i16);
        }
    }
    out
}

/// A chest radiograph as 12-bit values, bright where attenuation is high (MONOCHROME2).
pub fn radiograph_values(rows: u32, columns: u32) -> Vec<u16> {
    let mut out = Vec::with_capacity(rows as usize * columns as usize);
    let w = f64::from(columns);
    let h = f64::from(rows);
    for row in 0..rows {
        for col in 0..columns {
            let x = (f64::from(col) + 0.5) / w;
            let y = (f64::from(row) + 0.5) / h;
            let mut attenuation: f64 = 0.05;
            if inside_ellipse(x, y, 0.5, 0.55, 0.42, 0.5) {
                attenuation = 0.55;
            }
            if [0.32, 0.68]
                .iter()
                .any(|cx| inside_ellipse(x, y, *cx, 0.5, 0.14, 0.3))
            {
                attenuation = 0.25;
            }
            if inside_ellipse(x, y, 0.46, 0.62, 0.13, 0.12) {
                attenuation = 0.65;
            }
            if (x - 0.5).abs() < 0.035 {
                attenuation = 0.85;
            }
            let rib = ((y * 34.0).sin() > 0.8) && inside_ellipse(x, y, 0.5, 0.5, 0.4, 0.34);
            if rib {
                attenuation += 0.15;
            }
            let value = attenuation * 3600.0 + 40.0 * noise(col, row, 7);
            out.push(value.clamp(0.0, 4095.0) as u16);
        }
    }
    out
}

/// An 8-bit RGB test pattern: red rises left to right, green top to bottom, and a blue disc
/// sits in the middle. Interleaved `R G B` per pixel.
pub fn rgb_pattern(rows: u32, columns: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows as usize * columns as usize * 3);
    for row in 0..rows {
        for col in 0..columns {
            let x = (f64::from(col) + 0.5) / f64::from(columns);
            let y = (f64::from(row) + 0.5) / f64::from(rows);
            let blue = if inside_ellipse(x, y, 0.5, 0.5, 0.25, 0.25) {
                220
            } else {
                30
            };
            out.extend_from_slice(&[(x * 255.0) as u8, (y * 255.0) as u8, blue]);
        }
    }
    out
}

/// Converts interleaved RGB to YBR_FULL (PS3.3 C.7.6.3.1.2).
pub fn rgb_to_ybr_full(rgb: &[u8]) -> Vec<u8> {
    rgb.chunks_exact(3)
        .flat_map(|p| {
            let (r, g, b) = (f64::from(p[0]), f64::from(p[1]), f64::from(p[2]));
            let y = 0.299 * r + 0.587 * g + 0.114 * b;
            let cb = -0.168_736 * r - 0.331_264 * g + 0.5 * b + 128.0;
            let cr = 0.5 * r - 0.418_688 * g - 0.081_312 * b + 128.0;
            [y, cb, cr].map(|v| v.round().clamp(0.0, 255.0) as u8)
        })
        .collect()
}

/// Converts interleaved RGB to native YBR_FULL_422: each horizontal pixel pair becomes
/// `Y1 Y2 Cb Cr` with the chroma averaged. `columns` must be even.
pub fn rgb_to_ybr_full_422(rgb: &[u8]) -> Vec<u8> {
    let full = rgb_to_ybr_full(rgb);
    full.chunks_exact(6)
        .flat_map(|pair| {
            let cb = (u16::from(pair[1]) + u16::from(pair[4])).div_ceil(2) as u8;
            let cr = (u16::from(pair[2]) + u16::from(pair[5])).div_ceil(2) as u8;
            [pair[0], pair[3], cb, cr]
        })
        .collect()
}
