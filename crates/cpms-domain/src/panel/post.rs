use serde::{Deserialize, Serialize};

use super::PanelRole;
use crate::org::InvalidValue;

/// What a message in a panel's discussion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostKind {
    /// An expert opinion; counted for the indicators and for closing.
    Contribution,
    Comment,
    /// A member asks the lead for more information.
    InfoRequest,
    /// The lead answers an information request (`reply_to` names it).
    Answer,
}

impl PostKind {
    pub const ALL: [PostKind; 4] = [
        PostKind::Contribution,
        PostKind::Comment,
        PostKind::InfoRequest,
        PostKind::Answer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PostKind::Contribution => "contribution",
            PostKind::Comment => "comment",
            PostKind::InfoRequest => "info_request",
            PostKind::Answer => "answer",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PostKind::Contribution => "Contribution",
            PostKind::Comment => "Comment",
            PostKind::InfoRequest => "Request for information",
            PostKind::Answer => "Answer",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == raw)
            .ok_or_else(|| {
                InvalidValue::new(
                    "kind",
                    "choose contribution, comment, info_request or answer",
                )
            })
    }

    /// Whether someone with `role` on the panel may post this kind, given
    /// what it replies to. Requests for information go to the lead, so the
    /// lead does not make them; only the lead answers them.
    pub fn check(self, role: PanelRole, reply_to: Option<PostKind>) -> Result<(), InvalidValue> {
        let refused = |why: &str| Err(InvalidValue::new("kind", why));
        match (self, role, reply_to) {
            (PostKind::InfoRequest, PanelRole::Lead, _) => {
                refused("the lead answers requests for information and does not make them")
            }
            (PostKind::Answer, PanelRole::Lead, Some(PostKind::InfoRequest)) => Ok(()),
            (PostKind::Answer, PanelRole::Lead, _) => {
                refused("an answer replies to a request for information")
            }
            (PostKind::Answer, _, _) => refused("only the lead answers requests for information"),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_ask_and_only_the_lead_answers() {
        use PanelRole::{Lead, Member};
        assert!(PostKind::InfoRequest.check(Member, None).is_ok());
        assert!(PostKind::InfoRequest.check(Lead, None).is_err());
        assert!(
            PostKind::Answer
                .check(Lead, Some(PostKind::InfoRequest))
                .is_ok()
        );
        assert!(PostKind::Answer.check(Lead, None).is_err());
        assert!(
            PostKind::Answer
                .check(Lead, Some(PostKind::Comment))
                .is_err()
        );
        assert!(
            PostKind::Answer
                .check(Member, Some(PostKind::InfoRequest))
                .is_err()
        );
        assert!(PostKind::Contribution.check(Lead, None).is_ok());
    }
}
