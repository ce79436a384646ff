use super::IndividualId;

/// Why a pedigree edit was refused or a stored pedigree is invalid.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PedigreeError {
    #[error("individual {0} is not in this pedigree")]
    UnknownIndividual(IndividualId),
    #[error("individual id {0} appears more than once")]
    DuplicateId(IndividualId),
    #[error("individual id {id} was never issued (issued ids run from 1 to {last})", last = next.saturating_sub(1))]
    IdNotIssued { id: IndividualId, next: u32 },
    #[error("the pedigree has no proband")]
    NoProband,
    #[error("the pedigree has more than one proband ({0} and {1})")]
    SeveralProbands(IndividualId, IndividualId),
    #[error("the proband ({0}) cannot be removed; make someone else the proband first")]
    CannotRemoveProband(IndividualId),
    #[error("individual {0} would be their own ancestor")]
    Cycle(IndividualId),
    #[error("the mother ({mother}) of individual {child} is recorded as male")]
    MaleMother {
        child: IndividualId,
        mother: IndividualId,
    },
    #[error("the father ({father}) of individual {child} is recorded as female")]
    FemaleFather {
        child: IndividualId,
        father: IndividualId,
    },
    #[error("individual {child} has {parent} as both parents")]
    SameParentTwice {
        child: IndividualId,
        parent: IndividualId,
    },
    #[error("individual {0} already has two parents")]
    TooManyParents(IndividualId),
    #[error("individual {0} already has parents")]
    AlreadyHasParents(IndividualId),
    #[error("the parents of individual {0} must be one male and one female (or of unknown sex)")]
    IncompatibleParentSexes(IndividualId),
    #[error("the parents {mother} and {father} of individual {child} are not recorded as partners")]
    ParentsNotPartners {
        child: IndividualId,
        mother: IndividualId,
        father: IndividualId,
    },
    #[error("individual {0} cannot be their own partner")]
    SelfPartnership(IndividualId),
    #[error("individuals {0} and {1} are already partners")]
    DuplicatePartnership(IndividualId, IndividualId),
    #[error("individuals {0} and {1} are not partners")]
    NotPartners(IndividualId, IndividualId),
    #[error("individual {0} is not connected to the proband")]
    Disconnected(IndividualId),
    #[error("birth year {0} is outside 1800–2200")]
    BirthYearOutOfRange(i32),
    #[error("label of individual {0} is longer than {max} characters", max = super::edit::MAX_LABEL_CHARS)]
    LabelTooLong(IndividualId),
    #[error("label of individual {0} contains control characters")]
    LabelControlCharacters(IndividualId),
    #[error("family id {0:?} must be 1–64 printable characters without whitespace")]
    InvalidFamilyId(String),
}
