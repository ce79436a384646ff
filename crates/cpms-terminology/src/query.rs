//! A folded type-ahead query and how it matches one folded text.

use std::ops::Range;

use crate::fold::{fold, original_prefix_len, word_spans};

/// How a query matches a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TextMatch {
    /// The folded text starts with the folded query ("seiz" in "Seizure").
    Prefix,
    /// Every query word starts some word of the text ("card hyp" in "Hypertrophic cardiomyopathy").
    Words,
}

pub(crate) struct Query {
    /// Folded query words joined by single spaces, like folded texts.
    joined: String,
}

impl Query {
    pub(crate) fn new(text: &str) -> Self {
        Query { joined: fold(text) }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.joined.is_empty()
    }

    pub(crate) fn words(&self) -> impl Iterator<Item = &str> {
        self.joined.split(' ')
    }

    /// Matches a folded text (as produced by [`fold`]).
    pub(crate) fn match_folded(&self, folded: &str) -> Option<TextMatch> {
        if folded.starts_with(&self.joined) {
            return Some(TextMatch::Prefix);
        }
        let every_word_found = self
            .words()
            .all(|typed| folded.split(' ').any(|word| word.starts_with(typed)));
        every_word_found.then_some(TextMatch::Words)
    }

    /// Byte ranges of the original `text` that the query matched, for highlighting.
    /// For a prefix match the n query words mark the first n words; otherwise each word
    /// of the text is marked by the longest query word it starts with.
    pub(crate) fn highlights(&self, text: &str, how: TextMatch) -> Vec<Range<usize>> {
        let typed: Vec<&str> = self.words().collect();
        let mut marks = Vec::new();
        for (position, span) in word_spans(text).enumerate() {
            let word = fold(&text[span.clone()]);
            let matched = match how {
                TextMatch::Prefix => typed.get(position).copied(),
                TextMatch::Words => typed
                    .iter()
                    .copied()
                    .filter(|t| word.starts_with(t))
                    .max_by_key(|t| t.len()),
            };
            if how == TextMatch::Prefix && matched.is_none() {
                break;
            }
            if let Some(t) = matched.filter(|t| word.starts_with(t)) {
                let length = original_prefix_len(&text[span.clone()], t.len());
                marks.push(span.start..span.start + length);
            }
        }
        marks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_beats_words_and_words_need_all_query_words() {
        let query = Query::new("Card hyp");
        assert_eq!(
            query.match_folded("card hypertrophy"),
            Some(TextMatch::Prefix)
        );
        // Earlier query words must be whole words for a prefix match.
        assert_eq!(
            query.match_folded("cardiac hypertrophy"),
            Some(TextMatch::Words)
        );
        assert_eq!(
            query.match_folded("hypertrophic cardiomyopathy"),
            Some(TextMatch::Words)
        );
        assert_eq!(query.match_folded("hypertrophic heart"), None);
        assert_eq!(
            Query::new("seiz").match_folded("febrile seizure"),
            Some(TextMatch::Words)
        );
    }

    #[test]
    fn highlights_map_to_original_bytes() {
        let query = Query::new("barre guil");
        let text = "Guillain-Barré syndrome";
        let marks = query.highlights(text, TextMatch::Words);
        let marked: Vec<&str> = marks.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(marked, ["Guil", "Barré"]);

        let query = Query::new("abnormality of t");
        let text = "Abnormality of the thumb";
        let marks = query.highlights(text, TextMatch::Prefix);
        let marked: Vec<&str> = marks.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(marked, ["Abnormality", "of", "t"]);
    }
}
