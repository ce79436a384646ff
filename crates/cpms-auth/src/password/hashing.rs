//! Argon2id password hashes in PHC string format (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`).

use argon2::password_hash::SaltString;
use argon2::password_hash::rand_core::OsRng;
use argon2::{Algorithm, Argon2, Params, PasswordHash, Version};
use argon2::{PasswordHasher as _, PasswordVerifier as _};
use rand::Rng as _;
use serde::{Deserialize, Serialize};

use super::{MAX_PASSWORD_BYTES, NewPassword, normalise};

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashCost {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Number of passes over the memory.
    pub iterations: u32,
    /// Degree of parallelism (lanes).
    pub parallelism: u32,
}

impl HashCost {
    /// The OWASP-recommended Argon2id setting: 19 MiB, two passes, one lane.
    pub const PRODUCTION: Self = Self {
        memory_kib: 19_456,
        iterations: 2,
        parallelism: 1,
    };

    /// A deliberately weak setting for tests and throwaway training data. Never use it for real
    /// accounts: a stolen hash of this cost is cheap to attack.
    pub const TESTING: Self = Self {
        memory_kib: 1024,
        iterations: 1,
        parallelism: 1,
    };
}

impl Default for HashCost {
    fn default() -> Self {
        Self::PRODUCTION
    }
}

/// Failures of hashing or verification (not of the password itself, see `PolicyError`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("invalid Argon2 cost parameters: {0}")]
    InvalidCost(String),
    #[error("the stored password hash is not an Argon2id PHC string: {0}")]
    MalformedHash(String),
    #[error("password hashing failed: {0}")]
    Hashing(String),
}

/// Hashes and verifies passwords with one configured cost.
pub struct PasswordHasher {
    argon2: Argon2<'static>,
    cost: HashCost,
    /// A hash of a random password at the configured cost, for [`Self::verify_dummy`].
    dummy: String,
}

impl std::fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordHasher")
            .field("cost", &self.cost)
            .finish_non_exhaustive()
    }
}

impl PasswordHasher {
    /// Builds a hasher. This computes one hash (for [`Self::verify_dummy`]), so it costs as
    /// much as hashing a password: build it once at start-up.
    pub fn new(cost: HashCost) -> Result<Self, PasswordError> {
        let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
            .map_err(|e| PasswordError::InvalidCost(e.to_string()))?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let random_password: [u8; 32] = rand::thread_rng().r#gen();
        let dummy = hash_bytes(&argon2, &random_password)?;
        Ok(Self {
            argon2,
            cost,
            dummy,
        })
    }

    /// The cost new hashes are made with.
    pub fn cost(&self) -> HashCost {
        self.cost
    }

    /// Hashes a password that passed the policy, with a fresh random salt.
    pub fn hash(&self, password: &NewPassword) -> Result<String, PasswordError> {
        hash_bytes(&self.argon2, password.as_str().as_bytes())
    }

    /// Whether `password` matches the stored PHC hash. The hash's own parameters are used, so
    /// hashes made with an older cost still verify (see [`Self::needs_rehash`]).
    ///
    /// Input longer than the policy allows never matches and is rejected before any hashing.
    pub fn verify(&self, password: &str, stored: &str) -> Result<bool, PasswordError> {
        let parsed = parse_argon2id(stored)?;
        if password.len() > MAX_PASSWORD_BYTES {
            return Ok(false);
        }
        match self
            .argon2
            .verify_password(normalise(password).as_bytes(), &parsed)
        {
            Ok(()) => Ok(true),
            Err(argon2::password_hash::Error::Password) => Ok(false),
            Err(other) => Err(PasswordError::MalformedHash(other.to_string())),
        }
    }

    /// Does the same work as [`Self::verify`] against a fixed hash and discards the result.
    /// Call it when the account does not exist, so that response time does not tell an
    /// attacker which accounts do.
    pub fn verify_dummy(&self, password: &str) {
        // The outcome is meaningless by design; only the time spent matters.
        let _ = self.verify(password, &self.dummy);
    }

    /// Whether a stored hash was made with other parameters than the configured cost, so the
    /// caller should re-hash the password (which it has in hand after a successful sign-in).
    pub fn needs_rehash(&self, stored: &str) -> Result<bool, PasswordError> {
        let parsed = parse_argon2id(stored)?;
        let params =
            Params::try_from(&parsed).map_err(|e| PasswordError::MalformedHash(e.to_string()))?;
        let current = self.argon2.params();
        Ok(parsed.version != Some(Version::V0x13.into())
            || params.m_cost() != current.m_cost()
            || params.t_cost() != current.t_cost()
            || params.p_cost() != current.p_cost())
    }
}

fn hash_bytes(argon2: &Argon2<'_>, password: &[u8]) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2
        .hash_password(password, &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError::Hashing(e.to_string()))
}

fn parse_argon2id(stored: &str) -> Result<PasswordHash<'_>, PasswordError> {
    let parsed =
        PasswordHash::new(stored).map_err(|e| PasswordError::MalformedHash(e.to_string()))?;
    if parsed.algorithm != Algorithm::Argon2id.ident() {
        return Err(PasswordError::MalformedHash(format!(
            "algorithm {} is not argon2id",
            parsed.algorithm
        )));
    }
    if parsed.hash.is_none() {
        return Err(PasswordError::MalformedHash("no hash output".into()));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::password::PasswordPolicy;

    fn hasher() -> PasswordHasher {
        PasswordHasher::new(HashCost::TESTING).unwrap()
    }

    fn new_password(text: &str) -> NewPassword {
        PasswordPolicy::default().check(text).unwrap()
    }

    #[test]
    fn hash_is_an_argon2id_phc_string_with_the_configured_cost() {
        let hash = hasher()
            .hash(&new_password("violet harbour kestrel"))
            .unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"),
            "unexpected hash {hash}"
        );
    }

    #[test]
    fn verifies_the_right_password_and_rejects_others() {
        let hasher = hasher();
        let hash = hasher
            .hash(&new_password("violet harbour kestrel"))
            .unwrap();
        assert!(hasher.verify("violet harbour kestrel", &hash).unwrap());
        assert!(!hasher.verify("violet harbour kestrel ", &hash).unwrap());
        assert!(!hasher.verify("Violet harbour kestrel", &hash).unwrap());
    }

    #[test]
    fn same_password_gets_a_different_salt_each_time() {
        let hasher = hasher();
        let password = new_password("violet harbour kestrel");
        assert_ne!(
            hasher.hash(&password).unwrap(),
            hasher.hash(&password).unwrap()
        );
    }

    #[test]
    fn verification_normalises_like_the_policy() {
        let hasher = hasher();
        let hash = hasher
            .hash(&new_password("caf\u{e9} au lait 2024"))
            .unwrap();
        assert!(hasher.verify("cafe\u{301} au lait 2024", &hash).unwrap());
    }

    #[test]
    fn hashes_made_with_another_cost_verify_and_ask_for_a_rehash() {
        let old = PasswordHasher::new(HashCost {
            memory_kib: 512,
            ..HashCost::TESTING
        })
        .unwrap();
        let hash = old.hash(&new_password("violet harbour kestrel")).unwrap();
        let current = hasher();
        assert!(current.verify("violet harbour kestrel", &hash).unwrap());
        assert!(current.needs_rehash(&hash).unwrap());
        assert!(!old.needs_rehash(&hash).unwrap());
    }

    #[test]
    fn over_long_input_never_matches() {
        let hasher = hasher();
        let hash = hasher
            .hash(&new_password("violet harbour kestrel"))
            .unwrap();
        let long = "x".repeat(MAX_PASSWORD_BYTES + 1);
        assert!(!hasher.verify(&long, &hash).unwrap());
    }

    #[test]
    fn malformed_or_foreign_hashes_are_errors() {
        let hasher = hasher();
        assert!(matches!(
            hasher.verify("anything", "plain text"),
            Err(PasswordError::MalformedHash(_))
        ));
        // A valid PHC string of another Argon2 variant.
        let argon2i =
            "$argon2i$v=19$m=1024,t=1,p=1$c29tZXNhbHQ$iWh06vD8Fy27wf9npn6FXWiCX4K6pW6Ue1Bnzz07Z8A";
        let err = hasher.verify("anything", argon2i).unwrap_err();
        assert!(matches!(err, PasswordError::MalformedHash(ref m) if m.contains("argon2i")));
        assert!(hasher.needs_rehash("$argon2id$broken").is_err());
    }

    #[test]
    fn invalid_cost_is_reported() {
        let err = PasswordHasher::new(HashCost {
            memory_kib: 1,
            iterations: 1,
            parallelism: 1,
        })
        .unwrap_err();
        assert!(matches!(err, PasswordError::InvalidCost(_)));
    }

    #[test]
    fn dummy_hash_has_the_configured_cost() {
        let hasher = hasher();
        assert!(!hasher.needs_rehash(&hasher.dummy).unwrap());
    }

    #[test]
    fn dummy_verification_does_the_work_of_a_real_one() {
        // The fastest of several interleaved runs, so that other processes competing for the
        // CPU affect both sides alike. Both must be of the same order: a dummy that skipped
        // the hash would be a thousand times faster.
        let hasher = PasswordHasher::new(HashCost {
            memory_kib: 8192,
            iterations: 2,
            parallelism: 1,
        })
        .unwrap();
        let hash = hasher
            .hash(&new_password("violet harbour kestrel"))
            .unwrap();
        let timed = |f: &dyn Fn()| {
            let start = std::time::Instant::now();
            f();
            start.elapsed()
        };
        let (mut real, mut dummy) = (std::time::Duration::MAX, std::time::Duration::MAX);
        for _ in 0..7 {
            real = real.min(timed(&|| {
                let _ = hasher.verify("wrong guess entirely", &hash);
            }));
            dummy = dummy.min(timed(&|| hasher.verify_dummy("wrong guess entirely")));
        }
        let ratio = dummy.as_secs_f64() / real.as_secs_f64();
        assert!(
            (0.25..4.0).contains(&ratio),
            "dummy {dummy:?} vs real {real:?}"
        );
    }
}
