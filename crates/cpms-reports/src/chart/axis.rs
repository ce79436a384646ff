//! Axis ranges on "nice" numbers: steps of 1, 2, 2.5 or 5 times a power of
//! ten, so tick labels are round and easy to read.

/// An axis from `min` to `max` in steps of `step`; both ends are multiples
/// of the step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NiceScale {
    pub min: f64,
    pub max: f64,
    pub step: f64,
}

impl NiceScale {
    /// The tightest nice axis covering `low..=high` with about `ticks`
    /// intervals. An empty range (all zeros) becomes 0 to 1.
    pub fn new(low: f64, high: f64, ticks: usize) -> Self {
        let (low, high) = if high > low {
            (low, high)
        } else {
            (low, low + 1.0)
        };
        let step = nice_step((high - low) / ticks.max(1) as f64);
        NiceScale {
            min: (low / step).floor() * step,
            max: (high / step).ceil() * step,
            step,
        }
    }

    /// Tick values from `min` to `max` inclusive.
    pub fn ticks(&self) -> Vec<f64> {
        let count = ((self.max - self.min) / self.step).round() as usize;
        // Multiplying rather than adding keeps ticks free of drift.
        (0..=count)
            .map(|i| self.min + i as f64 * self.step)
            .collect()
    }

    /// Where `value` falls between the ends, 0 at `min` and 1 at `max`.
    pub fn fraction(&self, value: f64) -> f64 {
        (value - self.min) / (self.max - self.min)
    }
}

fn nice_step(rough: f64) -> f64 {
    let magnitude = 10f64.powf(rough.log10().floor());
    let fraction = rough / magnitude;
    let nice = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|n| fraction <= *n)
        .unwrap_or(10.0);
    nice * magnitude
}
