//! The audit trail: append-only events, each carrying the hash of its
//! predecessor, so that altering, deleting or reordering any stored event
//! is detected by re-walking the chain (`cpms audit verify`).

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ids::{AuditEventId, UserId};
use crate::time::format_utc;

/// The `prev_hash` of the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// How an audited attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Success,
    /// The attempt failed (wrong password, invalid input).
    Failure,
    /// The access policy refused it.
    Denied,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Failure => "failure",
            Self::Denied => "denied",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "success" => Some(Self::Success),
            "failure" => Some(Self::Failure),
            "denied" => Some(Self::Denied),
            _ => None,
        }
    }
}

/// What happened, before it has a place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub actor: Option<UserId>,
    /// The clinician an assistant acted for.
    pub on_behalf_of: Option<UserId>,
    /// A stable dotted code such as `auth.sign_in` or `patient.read`.
    pub action: String,
    /// What was acted on, such as `user:<id>` or `patient:<id>`.
    pub target: String,
    pub client_addr: Option<String>,
    pub outcome: Outcome,
    /// Extra context: the sign-in method, the reason of a refusal.
    pub detail: Option<String>,
}

impl NewEvent {
    pub fn new(action: impl Into<String>, target: impl Into<String>, outcome: Outcome) -> Self {
        Self {
            actor: None,
            on_behalf_of: None,
            action: action.into(),
            target: target.into(),
            client_addr: None,
            outcome,
            detail: None,
        }
    }

    pub fn by(mut self, actor: UserId) -> Self {
        self.actor = Some(actor);
        self
    }

    pub fn on_behalf_of(mut self, clinician: Option<UserId>) -> Self {
        self.on_behalf_of = clinician;
        self
    }

    pub fn from_addr(mut self, addr: Option<String>) -> Self {
        self.client_addr = addr;
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// An event as stored: its place in the chain and both hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub seq: i64,
    pub id: AuditEventId,
    pub at: jiff::Timestamp,
    pub event: NewEvent,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEvent {
    /// Places `event` after the event whose hash is `prev_hash`.
    pub fn chain(seq: i64, at: jiff::Timestamp, event: NewEvent, prev_hash: &str) -> Self {
        let id = AuditEventId::new();
        let hash = event_hash(seq, id, at, &event, prev_hash);
        Self {
            seq,
            id,
            at,
            event,
            prev_hash: prev_hash.to_owned(),
            hash,
        }
    }
}

/// SHA-256 over every field, each length-prefixed so that moving bytes
/// from one field to its neighbour changes the hash.
pub fn event_hash(
    seq: i64,
    id: AuditEventId,
    at: jiff::Timestamp,
    e: &NewEvent,
    prev_hash: &str,
) -> String {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    let opt_user = |u: Option<UserId>| u.map(|u| u.to_string()).unwrap_or_default();
    field(&seq.to_be_bytes());
    field(id.to_string().as_bytes());
    field(format_utc(at).as_bytes());
    field(opt_user(e.actor).as_bytes());
    field(opt_user(e.on_behalf_of).as_bytes());
    field(e.action.as_bytes());
    field(e.target.as_bytes());
    field(e.client_addr.as_deref().unwrap_or_default().as_bytes());
    field(e.outcome.as_str().as_bytes());
    field(e.detail.as_deref().unwrap_or_default().as_bytes());
    field(prev_hash.as_bytes());
    hex::encode(h.finalize())
}

/// Why the chain does not hold, at the first event where it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// An event's stored hash does not match its contents: it was altered.
    Altered,
    /// An event does not point at its predecessor: one was removed,
    /// inserted or moved.
    Unlinked,
    /// Sequence numbers skip or repeat.
    Gap { expected: i64 },
    /// The chain ends before the recorded head: events at the end were removed.
    Truncated { head_seq: i64 },
}

/// The first event where verification failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainError {
    pub seq: i64,
    pub id: Option<AuditEventId>,
    pub problem: Break,
}

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.id.map(|id| format!(" ({id})")).unwrap_or_default();
        match &self.problem {
            Break::Altered => write!(
                f,
                "event {}{id} was altered: its contents do not match its hash",
                self.seq
            ),
            Break::Unlinked => write!(
                f,
                "event {}{id} does not follow its predecessor: an event before it was removed, inserted or reordered",
                self.seq
            ),
            Break::Gap { expected } => {
                write!(
                    f,
                    "event {}{id} found where event {expected} was expected: events were removed or reordered",
                    self.seq
                )
            }
            Break::Truncated { head_seq } => write!(
                f,
                "the log ends at event {} but its head records event {head_seq}: events at the end were removed",
                self.seq
            ),
        }
    }
}

/// Walks a chain in stored order. Feed every event, then call `finish`
/// with the head the store recorded.
#[derive(Debug)]
pub struct Verifier {
    next_seq: i64,
    last_hash: String,
    checked: u64,
}

impl Default for Verifier {
    fn default() -> Self {
        Self {
            next_seq: 1,
            last_hash: GENESIS_HASH.to_owned(),
            checked: 0,
        }
    }
}

impl Verifier {
    pub fn check(&mut self, stored: &AuditEvent) -> Result<(), ChainError> {
        let fail = |problem| ChainError {
            seq: stored.seq,
            id: Some(stored.id),
            problem,
        };
        if stored.seq != self.next_seq {
            return Err(fail(Break::Gap {
                expected: self.next_seq,
            }));
        }
        let recomputed = event_hash(
            stored.seq,
            stored.id,
            stored.at,
            &stored.event,
            &stored.prev_hash,
        );
        if recomputed != stored.hash {
            return Err(fail(Break::Altered));
        }
        if stored.prev_hash != self.last_hash {
            return Err(fail(Break::Unlinked));
        }
        self.next_seq += 1;
        self.last_hash.clone_from(&stored.hash);
        self.checked += 1;
        Ok(())
    }

    /// Compares the end of the walk with the recorded head (last sequence
    /// number and hash); returns how many events were verified.
    pub fn finish(self, head: Option<(i64, &str)>) -> Result<u64, ChainError> {
        let last_seq = self.next_seq - 1;
        match head {
            None if last_seq == 0 => Ok(0),
            Some((seq, hash)) if seq == last_seq && hash == self.last_hash => Ok(self.checked),
            Some((seq, _)) if seq > last_seq => Err(ChainError {
                seq: last_seq,
                id: None,
                problem: Break::Truncated { head_seq: seq },
            }),
            _ => Err(ChainError {
                seq: last_seq,
                id: None,
                problem: Break::Unlinked,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn build(n: usize) -> Vec<AuditEvent> {
        let mut prev = GENESIS_HASH.to_owned();
        let mut at: jiff::Timestamp = "2026-11-23T08:00:00Z".parse().unwrap();
        (1..=n as i64)
            .map(|seq| {
                at = at.checked_add(jiff::SignedDuration::from_secs(1)).unwrap();
                let event = NewEvent::new("auth.sign_in", format!("user:{seq}"), Outcome::Success)
                    .by(UserId::new())
                    .from_addr(Some("127.0.0.1".into()));
                let e = AuditEvent::chain(seq, at, event, &prev);
                prev.clone_from(&e.hash);
                e
            })
            .collect()
    }

    fn verify(events: &[AuditEvent], head: Option<(i64, String)>) -> Result<u64, ChainError> {
        let mut v = Verifier::default();
        for e in events {
            v.check(e)?;
        }
        v.finish(head.as_ref().map(|(s, h)| (*s, h.as_str())))
    }

    fn head(events: &[AuditEvent]) -> Option<(i64, String)> {
        events.last().map(|e| (e.seq, e.hash.clone()))
    }

    #[test]
    fn an_intact_chain_verifies() {
        let events = build(5);
        assert_eq!(verify(&events, head(&events)), Ok(5));
        assert_eq!(verify(&[], None), Ok(0));
    }

    #[test]
    fn altering_any_field_is_detected_at_that_event() {
        let events = build(4);
        let h = head(&events);
        let mut altered = events.clone();
        altered[2].event.outcome = Outcome::Failure;
        let err = verify(&altered, h.clone()).unwrap_err();
        assert_eq!((err.seq, err.problem), (3, Break::Altered));

        let mut moved = events.clone();
        moved[1].event.action = "auth.sign_i".into();
        moved[1].event.target = format!("n{}", moved[1].event.target);
        assert_eq!(verify(&moved, h).unwrap_err().seq, 2);
    }

    #[test]
    fn deleting_an_event_in_the_middle_is_detected() {
        let mut events = build(4);
        let h = head(&events);
        events.remove(1);
        let err = verify(&events, h).unwrap_err();
        assert_eq!((err.seq, err.problem), (3, Break::Gap { expected: 2 }));
    }

    #[test]
    fn deleting_the_last_event_is_detected_through_the_head() {
        let mut events = build(3);
        let h = head(&events);
        events.pop();
        let err = verify(&events, h).unwrap_err();
        assert_eq!(err.problem, Break::Truncated { head_seq: 3 });
    }

    #[test]
    fn renumbering_after_a_swap_is_detected() {
        let mut events = build(4);
        let h = head(&events);
        events.swap(1, 2);
        events[1].seq = 2;
        events[2].seq = 3;
        let err = verify(&events, h).unwrap_err();
        assert_eq!(err.seq, 2);
        assert!(err.to_string().contains("event 2"));
    }

    proptest! {
        #[test]
        fn any_single_change_breaks_verification(n in 1usize..12, victim in 0usize..12, byte in 0usize..64) {
            let events = build(n);
            let victim = victim % n;
            let h = head(&events);
            let mut tampered = events.clone();
            let mut detail = tampered[victim].event.detail.clone().unwrap_or_default();
            detail.push(char::from(b'a' + (byte % 26) as u8));
            tampered[victim].event.detail = Some(detail);
            let err = verify(&tampered, h).unwrap_err();
            prop_assert_eq!(err.seq, victim as i64 + 1);
        }
    }
}
