//! Resampling rendered 8-bit images: area averaging when shrinking, nearest when enlarging.

/// Resamples `channels`-interleaved `src` of `width` × `height` to `out_w` × `out_h`.
pub(crate) fn resample(
    src: &[u8],
    width: u32,
    height: u32,
    channels: usize,
    out_w: u32,
    out_h: u32,
) -> Vec<u8> {
    if (out_w, out_h) == (width, height) {
        return src.to_vec();
    }
    let (w, h) = (width as usize, height as usize);
    let (ow, oh) = (out_w as usize, out_h as usize);
    let spans = |size: usize, out: usize| -> Vec<(usize, usize)> {
        (0..out)
            .map(|i| {
                let start = i * size / out;
                let end = ((i + 1) * size / out).max(start + 1).min(size);
                (start, end)
            })
            .collect()
    };
    let xs = spans(w, ow);
    let ys = spans(h, oh);
    let mut out = Vec::with_capacity(ow * oh * channels);
    let mut sums = vec![0u32; channels];
    for &(y0, y1) in &ys {
        for &(x0, x1) in &xs {
            sums.iter_mut().for_each(|s| *s = 0);
            for y in y0..y1 {
                let row = &src[(y * w + x0) * channels..(y * w + x1) * channels];
                for pixel in row.chunks_exact(channels) {
                    for (sum, v) in sums.iter_mut().zip(pixel) {
                        *sum += u32::from(*v);
                    }
                }
            }
            let count = ((y1 - y0) * (x1 - x0)) as u32;
            out.extend(sums.iter().map(|s| ((s + count / 2) / count) as u8));
        }
    }
    out
}
