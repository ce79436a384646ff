//! Ranked type-ahead search over codes, names and synonyms.

use std::cmp::Ordering;
use std::ops::Range;

use crate::code::{System, code_candidates};
use crate::concept::Concept;
use crate::query::{Query, TextMatch};
use crate::terminology::Terminology;

/// How a hit matched, best first. Within a rank, hits are ordered by length of the matched
/// text less a bonus for concepts used in many annotations, then by system and code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rank {
    /// The query is the concept's code in any accepted form (or an alternative HPO id).
    ExactCode,
    /// The name starts with the query.
    NamePrefix,
    /// Every query word starts some word of the name.
    NameWords,
    /// A synonym starts with the query.
    SynonymPrefix,
    /// Every query word starts some word of a synonym.
    SynonymWords,
}

/// Which text of the concept matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matched {
    Code,
    Name,
    /// Position in [`Concept::synonyms`].
    Synonym(usize),
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit<'a> {
    pub concept: &'a Concept,
    pub rank: Rank,
    pub matched: Matched,
    /// The text that matched (code, name or synonym), as stored in the concept.
    pub text: &'a str,
    /// Byte ranges of `text` matching the query, for highlighting.
    pub highlights: Vec<Range<usize>>,
}

/// What to search and how much to return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOptions {
    /// Systems to search; empty means all.
    pub systems: Vec<System>,
    pub limit: usize,
    /// Obsolete HPO terms are left out unless this is set.
    pub include_obsolete: bool,
}

impl SearchOptions {
    pub fn new(systems: &[System], limit: usize) -> Self {
        SearchOptions {
            systems: systems.to_vec(),
            limit,
            include_obsolete: false,
        }
    }

    fn admits(&self, concept: &Concept) -> bool {
        (self.systems.is_empty() || self.systems.contains(&concept.system))
            && (self.include_obsolete || !concept.obsolete)
    }
}

/// A matching concept before the final ordering.
#[derive(Clone, Copy)]
struct Candidate {
    position: u32,
    rank: Rank,
    matched: Matched,
    cost: i32,
}

impl Terminology {
    /// Type-ahead search in `systems` (all of them when empty), at most `limit` hits;
    /// see [`Rank`] for the order. Obsolete HPO terms are left out.
    pub fn search(&self, query: &str, systems: &[System], limit: usize) -> Vec<Hit<'_>> {
        self.search_with(query, &SearchOptions::new(systems, limit))
    }

    /// Search with every option.
    pub fn search_with(&self, query: &str, options: &SearchOptions) -> Vec<Hit<'_>> {
        self.run(query, options, |folded, visit| {
            // Any query word finds every match; the rarest finds the fewest non-matches.
            let narrowest = folded
                .words()
                .map(|word| self.index.postings_for(word))
                .min_by_key(Range::len)
                .unwrap_or_default();
            self.index
                .postings(narrowest)
                .iter()
                .for_each(|&p| visit(p));
        })
    }

    /// The same search as [`Terminology::search_with`] done by checking every concept;
    /// the reference the index is tested and benchmarked against.
    pub fn search_linear(&self, query: &str, options: &SearchOptions) -> Vec<Hit<'_>> {
        self.run(query, options, |_, visit| {
            (0..self.concepts.len()).for_each(|p| visit(p as u32));
        })
    }

    /// Shared search: `candidates` calls `visit` with concept positions that may match
    /// (repeats allowed); every one is checked against the query and ranked.
    fn run(
        &self,
        query: &str,
        options: &SearchOptions,
        candidates: impl Fn(&Query, &mut dyn FnMut(u32)),
    ) -> Vec<Hit<'_>> {
        if options.limit == 0 {
            return Vec::new();
        }
        let folded = Query::new(query);
        let mut seen = vec![false; self.concepts.len()];
        let mut found = self.code_hits(query, options);
        for hit in &found {
            seen[hit.position as usize] = true;
        }
        if !folded.is_empty() {
            candidates(&folded, &mut |position| {
                if !std::mem::replace(&mut seen[position as usize], true)
                    && let Some(hit) = self.rank_concept(&folded, position, options)
                {
                    found.push(hit);
                }
            });
        }
        self.best(&mut found, options.limit);
        found
            .into_iter()
            .map(|candidate| self.hit(&folded, candidate))
            .collect()
    }

    /// Concepts whose code the query is. Only queries containing a digit count, so that
    /// typing "vi" is not taken for ICD-10 chapter VI.
    fn code_hits(&self, query: &str, options: &SearchOptions) -> Vec<Candidate> {
        if !query.bytes().any(|b| b.is_ascii_digit()) {
            return Vec::new();
        }
        code_candidates(query)
            .iter()
            .filter_map(|(_, code)| self.position_of(code))
            .filter(|&position| options.admits(&self.concepts[position as usize]))
            .map(|position| Candidate {
                position,
                rank: Rank::ExactCode,
                matched: Matched::Code,
                cost: 0,
            })
            .collect()
    }

    /// The best way the query matches the concept's name or synonyms, if any.
    fn rank_concept(
        &self,
        query: &Query,
        position: u32,
        options: &SearchOptions,
    ) -> Option<Candidate> {
        if !options.admits(&self.concepts[position as usize]) {
            return None;
        }
        let (texts, costs) = self.index.texts(position);
        let candidate = |slot: usize, how: TextMatch| {
            let (rank, matched) = match (slot, how) {
                (0, TextMatch::Prefix) => (Rank::NamePrefix, Matched::Name),
                (0, TextMatch::Words) => (Rank::NameWords, Matched::Name),
                (_, TextMatch::Prefix) => (Rank::SynonymPrefix, Matched::Synonym(slot - 1)),
                (_, TextMatch::Words) => (Rank::SynonymWords, Matched::Synonym(slot - 1)),
            };
            Candidate {
                position,
                rank,
                matched,
                cost: costs[slot],
            }
        };
        // A name match outranks any synonym match, so synonyms are read only without one.
        if let Some(how) = query.match_folded(&texts[0]) {
            return Some(candidate(0, how));
        }
        (1..texts.len())
            .filter_map(|slot| {
                query
                    .match_folded(&texts[slot])
                    .map(|how| candidate(slot, how))
            })
            .min_by_key(|c| (c.rank, c.cost))
    }

    fn order(&self, a: &Candidate, b: &Candidate) -> Ordering {
        let (x, y) = (
            &self.concepts[a.position as usize],
            &self.concepts[b.position as usize],
        );
        (a.rank, a.cost, x.system, &x.code).cmp(&(b.rank, b.cost, y.system, &y.code))
    }

    /// Keeps the `limit` best candidates, in order.
    fn best(&self, found: &mut Vec<Candidate>, limit: usize) {
        if found.len() > limit {
            found.select_nth_unstable_by(limit - 1, |a, b| self.order(a, b));
            found.truncate(limit);
        }
        found.sort_unstable_by(|a, b| self.order(a, b));
    }

    fn hit(&self, query: &Query, candidate: Candidate) -> Hit<'_> {
        let concept = &self.concepts[candidate.position as usize];
        let text = match candidate.matched {
            Matched::Code => concept.code.as_str(),
            Matched::Name => concept.name.as_str(),
            Matched::Synonym(slot) => concept.synonyms[slot].as_str(),
        };
        let highlights = match candidate.rank {
            Rank::ExactCode => std::iter::once(0..text.len()).collect(),
            Rank::NamePrefix | Rank::SynonymPrefix => query.highlights(text, TextMatch::Prefix),
            Rank::NameWords | Rank::SynonymWords => query.highlights(text, TextMatch::Words),
        };
        Hit {
            concept,
            rank: candidate.rank,
            matched: candidate.matched,
            text,
            highlights,
        }
    }
}
