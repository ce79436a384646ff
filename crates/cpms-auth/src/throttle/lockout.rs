//! Per-account lockout with exponential back-off.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::later;

/// When and for how long an account is locked after failed attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockoutPolicy {
    /// Consecutive failures that trigger the first lock.
    pub threshold: u32,
    /// Length of the first lock; each further failure doubles it.
    pub base: SignedDuration,
    /// Longest lock.
    pub cap: SignedDuration,
    /// Failures older than this (since the last failure) are forgotten, so a few typos spread
    /// over months do not add up to a lock.
    pub forget_after: SignedDuration,
}

impl Default for LockoutPolicy {
    /// 5 failures lock for 1 minute, then 2, 4, … up to 1 hour; forgotten after a quiet day.
    fn default() -> Self {
        Self {
            threshold: 5,
            base: SignedDuration::from_mins(1),
            cap: SignedDuration::from_hours(1),
            forget_after: SignedDuration::from_hours(24),
        }
    }
}

impl LockoutPolicy {
    /// Lock length after `failures` consecutive failures; zero below the threshold.
    pub fn lock_duration(&self, failures: u32) -> SignedDuration {
        if self.threshold == 0 || failures < self.threshold {
            return SignedDuration::ZERO;
        }
        let doublings = failures - self.threshold;
        let factor = 2i32.checked_pow(doublings);
        factor
            .and_then(|factor| self.base.checked_mul(factor))
            .map_or(self.cap, |duration| duration.min(self.cap))
    }
}

/// The account is locked until `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the account is locked after repeated failed attempts until {until}")]
pub struct Locked {
    pub until: Timestamp,
}

/// Failure history of one account; store it with the account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLockout {
    pub consecutive_failures: u32,
    pub last_failure: Option<Timestamp>,
    pub locked_until: Option<Timestamp>,
}

impl AccountLockout {
    /// Call before verifying anything: a locked account must not even be tried, so guesses
    /// made during the lock reveal nothing.
    pub fn check(&self, now: Timestamp) -> Result<(), Locked> {
        match self.locked_until {
            Some(until) if until > now => Err(Locked { until }),
            _ => Ok(()),
        }
    }

    /// Records a failed attempt; returns the lock it causes, if any.
    pub fn record_failure(&mut self, policy: &LockoutPolicy, now: Timestamp) -> Option<Locked> {
        let stale = self
            .last_failure
            .is_some_and(|last| now.duration_since(last) > policy.forget_after);
        if stale {
            self.consecutive_failures = 0;
        }
        self.consecutive_failures = self.consecutive_failures.saturating_add(1);
        self.last_failure = Some(now);
        let duration = policy.lock_duration(self.consecutive_failures);
        if duration.is_zero() {
            self.locked_until = None;
            return None;
        }
        let until = later(now, duration);
        self.locked_until = Some(until);
        Some(Locked { until })
    }

    /// Records a successful sign-in: the history starts over.
    pub fn record_success(&mut self) {
        *self = Self::default();
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + seconds).unwrap()
    }

    fn mins(n: i64) -> SignedDuration {
        SignedDuration::from_mins(n)
    }

    #[test]
    fn five_failures_lock_for_a_minute_then_doubling_up_to_an_hour() {
        let policy = LockoutPolicy::default();
        let expected = [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60];
        for (index, minutes) in expected.iter().enumerate() {
            let failures = u32::try_from(index + 1).unwrap();
            assert_eq!(policy.lock_duration(failures), mins(*minutes), "{failures}");
        }
        assert_eq!(policy.lock_duration(u32::MAX), mins(60));
    }

    #[test]
    fn locks_after_the_fifth_failure_and_unlocks_when_it_expires() {
        let policy = LockoutPolicy::default();
        let mut account = AccountLockout::default();
        for second in 0..4 {
            assert_eq!(account.record_failure(&policy, at(second)), None);
            assert!(account.check(at(second)).is_ok());
        }
        let lock = account.record_failure(&policy, at(4)).unwrap();
        assert_eq!(lock.until, at(64));
        assert_eq!(account.check(at(63)), Err(lock));
        assert!(account.check(at(64)).is_ok());
        let second_lock = account.record_failure(&policy, at(64)).unwrap();
        assert_eq!(second_lock.until, at(64 + 120));
    }

    #[test]
    fn success_resets_the_history() {
        let policy = LockoutPolicy::default();
        let mut account = AccountLockout::default();
        for second in 0..4 {
            account.record_failure(&policy, at(second));
        }
        account.record_success();
        assert_eq!(account, AccountLockout::default());
        assert_eq!(account.record_failure(&policy, at(10)), None);
    }

    #[test]
    fn failures_are_forgotten_after_a_quiet_period() {
        let policy = LockoutPolicy::default();
        let mut account = AccountLockout::default();
        for day in 0..10 {
            // One typo a day for ten days never locks.
            assert_eq!(account.record_failure(&policy, at(day * 90_000)), None);
        }
        assert_eq!(account.consecutive_failures, 1);
    }

    #[test]
    fn zero_threshold_means_no_lockout() {
        let policy = LockoutPolicy {
            threshold: 0,
            ..LockoutPolicy::default()
        };
        let mut account = AccountLockout::default();
        for second in 0..20 {
            assert_eq!(account.record_failure(&policy, at(second)), None);
        }
    }

    #[test]
    fn state_round_trips_through_json() {
        let policy = LockoutPolicy::default();
        let mut account = AccountLockout::default();
        for second in 0..5 {
            account.record_failure(&policy, at(second));
        }
        let json = serde_json::to_string(&account).unwrap();
        assert_eq!(
            serde_json::from_str::<AccountLockout>(&json).unwrap(),
            account
        );
    }

    fn policies() -> impl Strategy<Value = LockoutPolicy> {
        (1u32..10, 1i64..600, 1i64..100_000).prop_map(|(threshold, base, cap)| LockoutPolicy {
            threshold,
            base: SignedDuration::from_secs(base),
            cap: SignedDuration::from_secs(cap),
            forget_after: SignedDuration::from_hours(24),
        })
    }

    proptest! {
        #[test]
        fn lock_length_is_monotonic_and_capped(policy in policies(), failures in 0u32..200) {
            let now = policy.lock_duration(failures);
            let next = policy.lock_duration(failures + 1);
            prop_assert!(now <= next);
            prop_assert!(next <= policy.cap);
            prop_assert!(!now.is_negative());
        }

        #[test]
        fn fewer_failures_than_the_threshold_never_lock(policy in policies(), gaps in prop::collection::vec(0i64..3600, 0..10)) {
            let mut account = AccountLockout::default();
            let mut t = 0;
            for gap in gaps.iter().take(policy.threshold as usize - 1) {
                t += gap;
                prop_assert_eq!(account.record_failure(&policy, at(t)), None);
                prop_assert!(account.check(at(t)).is_ok());
            }
        }

        #[test]
        fn a_lock_always_lasts_its_computed_length(policy in policies(), failures in 1u32..40) {
            let mut account = AccountLockout::default();
            let mut lock = None;
            for n in 0..failures {
                lock = account.record_failure(&policy, at(i64::from(n)));
            }
            let last = at(i64::from(failures - 1));
            match lock {
                None => prop_assert!(failures < policy.threshold),
                Some(Locked { until }) => {
                    prop_assert_eq!(until.duration_since(last), policy.lock_duration(failures));
                    prop_assert!(account.check(until - SignedDuration::from_secs(1)).is_err() || policy.lock_duration(failures) < SignedDuration::from_secs(1));
                    prop_assert!(account.check(until).is_ok());
                }
            }
        }
    }
}
