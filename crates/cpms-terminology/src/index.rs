//! The type-ahead index: every concept's names folded once at load, and a sorted table of
//! distinct words with the concepts using each, so a prefix finds its candidates by
//! binary search instead of a scan over every name.

use std::collections::HashMap;
use std::ops::Range;

use crate::concept::Concept;
use crate::fold::fold;

pub(crate) struct SearchIndex {
    /// Folded name then folded synonyms of each concept, concept after concept.
    folded: Vec<Box<str>>,
    /// Ranking cost of each text in `folded` (see [`cost`]).
    costs: Vec<i32>,
    /// Where each concept's texts start in `folded`; one extra entry closes the last.
    text_starts: Vec<u32>,
    /// Distinct folded words of all texts, sorted.
    words: Vec<Box<str>>,
    /// Where each word's concepts start in `postings`; one extra entry closes the last.
    posting_starts: Vec<u32>,
    /// Concept positions per word, ascending and without repeats.
    postings: Vec<u32>,
}

/// Within a rank, shorter and more used texts come first: the length in characters minus
/// the binary order of magnitude of the concept's annotation count (a term used in 1,000
/// annotations is worth ten characters).
fn cost(text: &str, concept: &Concept) -> i32 {
    let length = i32::try_from(text.chars().count()).unwrap_or(i32::MAX);
    let popularity = concept.annotations.saturating_add(1).ilog2();
    length.saturating_sub(popularity as i32)
}

impl SearchIndex {
    pub(crate) fn build(concepts: &[Concept]) -> Self {
        let mut folded = Vec::new();
        let mut costs = Vec::new();
        let mut text_starts = Vec::with_capacity(concepts.len() + 1);
        for concept in concepts {
            text_starts.push(to_u32(folded.len()));
            for text in std::iter::once(&concept.name).chain(&concept.synonyms) {
                folded.push(fold(text).into_boxed_str());
                costs.push(cost(text, concept));
            }
        }
        text_starts.push(to_u32(folded.len()));

        let mut by_word: HashMap<&str, Vec<u32>> = HashMap::new();
        for (position, texts) in text_starts.windows(2).enumerate() {
            let position = to_u32(position);
            for text in &folded[texts[0] as usize..texts[1] as usize] {
                for word in text.split(' ').filter(|w| !w.is_empty()) {
                    let concepts = by_word.entry(word).or_default();
                    if concepts.last() != Some(&position) {
                        concepts.push(position);
                    }
                }
            }
        }
        let mut sorted: Vec<(&str, Vec<u32>)> = by_word.into_iter().collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut words = Vec::with_capacity(sorted.len());
        let mut posting_starts = Vec::with_capacity(sorted.len() + 1);
        let mut postings = Vec::new();
        for (word, concepts) in sorted {
            words.push(Box::from(word));
            posting_starts.push(to_u32(postings.len()));
            postings.extend(concepts);
        }
        posting_starts.push(to_u32(postings.len()));
        SearchIndex {
            folded,
            costs,
            text_starts,
            words,
            posting_starts,
            postings,
        }
    }

    /// Folded texts (name first) and their costs for the concept at `position`.
    pub(crate) fn texts(&self, position: u32) -> (&[Box<str>], &[i32]) {
        let position = position as usize;
        let range = self.text_starts[position] as usize..self.text_starts[position + 1] as usize;
        (&self.folded[range.clone()], &self.costs[range])
    }

    /// Positions in `postings` of the concepts having a word that starts with `prefix`
    /// (one concept can appear once per such word).
    pub(crate) fn postings_for(&self, prefix: &str) -> Range<usize> {
        let first = self.words.partition_point(|w| w.as_ref() < prefix);
        let end = first + self.words[first..].partition_point(|w| w.starts_with(prefix));
        self.posting_starts[first] as usize..self.posting_starts[end] as usize
    }

    pub(crate) fn postings(&self, range: Range<usize>) -> &[u32] {
        &self.postings[range]
    }
}

/// Counts of concepts and texts stay far below `u32::MAX`; saturate rather than wrap.
fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}
