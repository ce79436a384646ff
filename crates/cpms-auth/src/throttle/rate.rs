//! Per-key rate limiting with the generic cell rate algorithm (GCRA).
//!
//! GCRA behaves like a token bucket holding `burst` tokens that refills one token every
//! `interval`, but its state is a single timestamp per key: the theoretical arrival time (TAT),
//! the moment the bucket would be full again. An attempt is allowed if, after charging it, the
//! bucket would be refilled no later than `burst * interval` from now.

use std::collections::HashMap;
use std::hash::Hash;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::later;

/// A burst of `burst` attempts, then one more every `interval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimit {
    pub burst: u32,
    pub interval: SignedDuration,
}

impl RateLimit {
    /// How far ahead of now the TAT may be after an allowed attempt.
    fn tolerance(&self) -> SignedDuration {
        let burst = i32::try_from(self.burst).unwrap_or(i32::MAX);
        self.interval.saturating_mul(burst)
    }
}

/// An attempt was refused; the client may try again after `retry_after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many attempts; try again in {retry_after:#}")]
pub struct Throttled {
    pub retry_after: SignedDuration,
}

/// Rate limiter over many keys (client addresses). The map only holds keys whose allowance is
/// not fully recovered, so memory follows the number of recently active clients.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RateLimiter<K: Eq + Hash> {
    limit: RateLimit,
    /// Theoretical arrival time per key.
    tats: HashMap<K, Timestamp>,
    /// Map size that triggers the next automatic prune; doubles with the live set so pruning
    /// costs O(1) per attempt on average.
    prune_at: usize,
}

const MIN_PRUNE_AT: usize = 1024;

impl<K: Eq + Hash> RateLimiter<K> {
    pub fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            tats: HashMap::new(),
            prune_at: MIN_PRUNE_AT,
        }
    }

    /// Counts one attempt by `key` at `now`, or refuses it without counting it.
    pub fn attempt(&mut self, key: K, now: Timestamp) -> Result<(), Throttled> {
        if self.limit.burst == 0 {
            return Err(Throttled {
                retry_after: SignedDuration::MAX,
            });
        }
        if self.tats.len() >= self.prune_at {
            self.prune(now);
            self.prune_at = MIN_PRUNE_AT.max(self.tats.len().saturating_mul(2));
        }
        let tat = self.tats.get(&key).copied().unwrap_or(now).max(now);
        let new_tat = later(tat, self.limit.interval);
        let debt = new_tat.duration_since(now);
        let tolerance = self.limit.tolerance();
        if debt > tolerance {
            return Err(Throttled {
                retry_after: debt - tolerance,
            });
        }
        self.tats.insert(key, new_tat);
        Ok(())
    }

    /// Drops keys whose allowance has fully recovered by `now`; they behave exactly like keys
    /// never seen. Runs automatically as the map grows; callers may also run it on a timer.
    pub fn prune(&mut self, now: Timestamp) {
        self.tats.retain(|_, tat| *tat > now);
    }

    /// Number of keys currently tracked.
    pub fn tracked(&self) -> usize {
        self.tats.len()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const LIMIT: RateLimit = RateLimit {
        burst: 3,
        interval: SignedDuration::from_secs(10),
    };

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + seconds).unwrap()
    }

    #[test]
    fn allows_a_burst_then_one_per_interval() {
        let mut limiter = RateLimiter::new(LIMIT);
        for _ in 0..3 {
            limiter.attempt("a", at(0)).unwrap();
        }
        assert_eq!(
            limiter.attempt("a", at(0)),
            Err(Throttled {
                retry_after: SignedDuration::from_secs(10)
            })
        );
        assert_eq!(
            limiter.attempt("a", at(4)),
            Err(Throttled {
                retry_after: SignedDuration::from_secs(6)
            })
        );
        limiter.attempt("a", at(10)).unwrap();
        assert!(limiter.attempt("a", at(10)).is_err());
        // Another key is unaffected.
        limiter.attempt("b", at(10)).unwrap();
    }

    #[test]
    fn refused_attempts_do_not_extend_the_wait() {
        let mut limiter = RateLimiter::new(LIMIT);
        for _ in 0..3 {
            limiter.attempt("a", at(0)).unwrap();
        }
        for second in 0..10 {
            assert!(limiter.attempt("a", at(second)).is_err());
        }
        limiter.attempt("a", at(10)).unwrap();
    }

    #[test]
    fn zero_burst_refuses_everything() {
        let mut limiter = RateLimiter::new(RateLimit { burst: 0, ..LIMIT });
        assert!(limiter.attempt("a", at(0)).is_err());
    }

    #[test]
    fn prune_forgets_only_fully_recovered_keys() {
        let mut limiter = RateLimiter::new(LIMIT);
        limiter.attempt("idle", at(0)).unwrap();
        for _ in 0..3 {
            limiter.attempt("busy", at(25)).unwrap();
        }
        limiter.prune(at(30));
        assert_eq!(limiter.tracked(), 1);
        assert!(limiter.attempt("busy", at(30)).is_err());
    }

    #[test]
    fn the_map_prunes_itself_as_it_grows() {
        let mut limiter = RateLimiter::new(LIMIT);
        for n in 0..5_000 {
            // Each client makes one attempt and then goes away for good.
            limiter.attempt(n, at(n * 20)).unwrap();
        }
        assert!(limiter.tracked() <= MIN_PRUNE_AT, "{}", limiter.tracked());
    }

    #[test]
    fn state_survives_serialisation() {
        let mut limiter = RateLimiter::new(LIMIT);
        for _ in 0..3 {
            limiter.attempt("a".to_owned(), at(0)).unwrap();
        }
        let json = serde_json::to_string(&limiter).unwrap();
        let mut restored: RateLimiter<String> = serde_json::from_str(&json).unwrap();
        assert!(restored.attempt("a".to_owned(), at(1)).is_err());
    }

    /// Sorted attempt times in seconds, with repeats (bursts at one instant).
    fn schedules() -> impl Strategy<Value = Vec<i64>> {
        prop::collection::vec(0i64..600, 1..80).prop_map(|mut v| {
            v.sort_unstable();
            v
        })
    }

    fn limits() -> impl Strategy<Value = RateLimit> {
        (1u32..8, 1i64..60).prop_map(|(burst, secs)| RateLimit {
            burst,
            interval: SignedDuration::from_secs(secs),
        })
    }

    proptest! {
        /// In any window, no more than `burst` plus one per elapsed interval get through.
        #[test]
        fn never_exceeds_burst_plus_rate(limit in limits(), times in schedules()) {
            let mut limiter = RateLimiter::new(limit);
            let allowed: Vec<i64> = times
                .iter()
                .copied()
                .filter(|t| limiter.attempt((), at(*t)).is_ok())
                .collect();
            let interval = limit.interval.as_secs();
            for (i, start) in allowed.iter().enumerate() {
                for (j, end) in allowed.iter().enumerate().skip(i) {
                    let count = i64::try_from(j - i + 1).unwrap();
                    let bound = i64::from(limit.burst) + (end - start) / interval;
                    prop_assert!(count <= bound, "{count} attempts in [{start}, {end}]");
                }
            }
        }

        /// Waiting the advertised time is always enough.
        #[test]
        fn retry_after_is_honest(limit in limits(), times in schedules()) {
            let mut limiter = RateLimiter::new(limit);
            for t in times {
                if let Err(refused) = limiter.attempt((), at(t)) {
                    prop_assert!(refused.retry_after.is_positive());
                    let mut probe = limiter.clone();
                    let retry = later(at(t), refused.retry_after);
                    prop_assert!(probe.attempt((), retry).is_ok());
                    let just_before = retry - SignedDuration::from_millis(1);
                    prop_assert!(probe.clone().attempt((), just_before).is_err()
                        || refused.retry_after <= SignedDuration::from_millis(1));
                }
            }
        }

        /// A client that keeps within the rate is never refused.
        #[test]
        fn a_steady_client_is_never_refused(limit in limits(), count in 1usize..50) {
            let mut limiter = RateLimiter::new(limit);
            let interval = limit.interval.as_secs();
            for n in 0..count {
                let t = i64::try_from(n).unwrap() * interval;
                prop_assert!(limiter.attempt((), at(t)).is_ok());
            }
        }

        /// After a full recovery period a client gets its whole burst back.
        #[test]
        fn full_burst_returns_after_recovery(limit in limits(), times in schedules()) {
            let mut limiter = RateLimiter::new(limit);
            let mut last = 0;
            for t in &times {
                let _ = limiter.attempt((), at(*t));
                last = *t;
            }
            let recovered = last + limit.interval.as_secs() * i64::from(limit.burst);
            for _ in 0..limit.burst {
                prop_assert!(limiter.attempt((), at(recovered)).is_ok());
            }
            prop_assert!(limiter.attempt((), at(recovered)).is_err());
        }
    }
}
