//! The expert profile a user keeps up to date, and the expert directory
//! that searches the profiles (PRODUCT.md §3): only users with a profile
//! and an active membership appear, best matches first.

use std::collections::BTreeMap;

use cpms_domain::audit::Outcome;
use cpms_domain::ids::{ThematicAreaId, UserId};
use cpms_domain::onboarding::{CaresFor, Category, ExpertProfile};
use cpms_domain::org::{Country, Ern, ErnCode, ThematicArea};
use cpms_domain::policy::{Action, Resource};
use cpms_store::repo::profiles::{self, ExpertFilter, ExpertRow};
use cpms_store::repo::{audit, reference};

use crate::{App, AppError, Caller};

/// The answers of the profile form, as typed.
#[derive(Debug, Clone, Default)]
pub struct ProfileForm {
    pub cares_for: String,
    pub profession: String,
    pub areas: Vec<String>,
    pub specialist_in: String,
}

/// What the profile form offers.
#[derive(Debug, Clone)]
pub struct ProfileChoices {
    pub professions: Vec<(String, String)>,
    /// The thematic areas of the networks the user belongs to or asked for.
    pub areas: Vec<ThematicArea>,
}

/// The directory's search, as typed; empty means "any".
#[derive(Debug, Clone, Default)]
pub struct ExpertQuery {
    pub ern: String,
    pub area: String,
    pub profession: String,
    pub country: String,
    pub text: String,
}

/// What the directory's filters offer.
#[derive(Debug, Clone)]
pub struct DirectoryChoices {
    pub erns: Vec<Ern>,
    pub areas: Vec<ThematicArea>,
    pub professions: Vec<(String, String)>,
    pub countries: Vec<Country>,
}

/// Where an expert works: one active membership.
#[derive(Debug, Clone)]
pub struct ExpertPlace {
    pub ern: ErnCode,
    pub hospital: String,
    pub country: Option<String>,
}

/// One person in the directory.
#[derive(Debug, Clone)]
pub struct Expert {
    pub user: UserId,
    pub name: String,
    pub profession: String,
    pub cares_for: CaresFor,
    pub specialist_in: String,
    pub areas: Vec<String>,
    pub places: Vec<ExpertPlace>,
    /// How well the free text matched; 0 without free text.
    pub score: u32,
}

impl App {
    /// The caller's profile (if they have one) and what the form offers.
    pub async fn my_profile(
        &self,
        caller: &Caller,
    ) -> Result<(Option<ExpertProfile>, ProfileChoices), AppError> {
        self.authorize_own_account(caller).await?;
        let me = caller.user.id;
        let mut conn = self.store().read().await?;
        let profile = profiles::get(&mut conn, me).await?;
        let mut erns: Vec<&ErnCode> = caller.memberships.iter().map(|m| &m.ern).collect();
        erns.sort();
        erns.dedup();
        let mut areas = Vec::new();
        for ern in erns {
            areas.extend(reference::areas_of_ern(&mut conn, ern).await?);
        }
        let professions = reference::list_professions(&mut conn).await?;
        Ok((profile, ProfileChoices { professions, areas }))
    }

    /// Creates or replaces the caller's profile, and audits the change.
    pub async fn save_profile(
        &self,
        caller: &Caller,
        form: &ProfileForm,
    ) -> Result<ExpertProfile, AppError> {
        let (existing, choices) = self.my_profile(caller).await?;
        let cares_for = CaresFor::parse(&form.cares_for)
            .map_err(|e| AppError::invalid(format!("Cares for: {}.", e.message)))?;
        if !choices
            .professions
            .iter()
            .any(|(code, _)| *code == form.profession)
        {
            return Err(AppError::invalid("Profession: choose one from the list."));
        }
        let mut areas = Vec::new();
        for raw in &form.areas {
            let id = raw
                .parse::<ThematicAreaId>()
                .ok()
                .filter(|id| choices.areas.iter().any(|a| a.id == *id))
                .ok_or_else(|| {
                    AppError::invalid("Thematic areas: choose areas of your networks.")
                })?;
            areas.push(id);
        }
        let category = existing
            .as_ref()
            .map_or(Category::Clinician, |p| p.category);
        let (guest_hospital, working_country) = existing
            .map(|p| (p.guest_hospital, p.working_country))
            .unwrap_or_default();
        let profile = ExpertProfile {
            user: caller.user.id,
            category,
            cares_for,
            profession: form.profession.clone(),
            specialist_in: form.specialist_in.trim().to_owned(),
            areas,
            guest_hospital,
            working_country,
        };
        profile
            .validate()
            .map_err(|e| AppError::invalid(format!("Clinical focus: {}.", e.message)))?;
        let now = self.now();
        let mut tx = self.store().write().await?;
        profiles::save(&mut tx, &profile, now).await?;
        let event = caller.audit_event(
            "profile.update",
            format!("user:{}", caller.user.id),
            Outcome::Success,
        );
        audit::append(&mut tx, event, now).await?;
        tx.commit().await?;
        Ok(profile)
    }

    /// What the directory's filters offer.
    pub async fn directory_choices(&self, caller: &Caller) -> Result<DirectoryChoices, AppError> {
        self.authorize(
            caller,
            Action::ViewExpertDirectory,
            Resource::Platform,
            "directory",
        )
        .await?;
        let mut conn = self.store().read().await?;
        let erns = reference::list_erns(&mut conn).await?;
        let mut areas = Vec::new();
        for ern in &erns {
            areas.extend(reference::areas_of_ern(&mut conn, &ern.code).await?);
        }
        Ok(DirectoryChoices {
            areas,
            erns,
            professions: reference::list_professions(&mut conn).await?,
            countries: reference::list_countries(&mut conn).await?,
        })
    }

    /// Experts matching the query, best matches first.
    pub async fn find_experts(
        &self,
        caller: &Caller,
        query: &ExpertQuery,
    ) -> Result<Vec<Expert>, AppError> {
        self.authorize(
            caller,
            Action::ViewExpertDirectory,
            Resource::Platform,
            "directory",
        )
        .await?;
        let filter = filter_of(query)?;
        let mut conn = self.store().read().await?;
        let rows = profiles::candidates(&mut conn, &filter).await?;
        let now = self.now();
        let active = rows
            .into_iter()
            .filter(|r| r.expires_at.is_none_or(|end| end > now));
        Ok(rank(group(active), &query.text))
    }
}

fn filter_of(query: &ExpertQuery) -> Result<ExpertFilter, AppError> {
    let given = |raw: &str| {
        Some(raw.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let ern = given(&query.ern)
        .map(|raw| ErnCode::parse(&raw))
        .transpose()
        .map_err(|_| AppError::invalid("Network: choose a network from the list."))?;
    let area = given(&query.area)
        .map(|raw| raw.parse::<ThematicAreaId>())
        .transpose()
        .map_err(|_| AppError::invalid("Thematic area: choose an area from the list."))?;
    Ok(ExpertFilter {
        ern,
        area,
        profession: given(&query.profession),
        country: given(&query.country).map(|c| c.to_uppercase()),
    })
}

/// One expert per user, with every place they work.
fn group(rows: impl Iterator<Item = ExpertRow>) -> Vec<Expert> {
    let mut by_user: BTreeMap<UserId, Expert> = BTreeMap::new();
    for row in rows {
        let place = ExpertPlace {
            ern: row.ern,
            hospital: row.hcp_name,
            country: row.country,
        };
        by_user
            .entry(row.user)
            .or_insert_with(|| Expert {
                user: row.user,
                name: row.name,
                profession: row.profession,
                cares_for: row.cares_for,
                specialist_in: row.specialist_in,
                areas: row.areas,
                places: Vec::new(),
                score: 0,
            })
            .places
            .push(place);
    }
    by_user.into_values().collect()
}

/// Scores each expert against the free text and orders best first; with
/// free text, experts matching none of its words are left out. The focus
/// text weighs most, then thematic areas, then name, profession and places.
fn rank(experts: Vec<Expert>, text: &str) -> Vec<Expert> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_lowercase)
        .collect();
    let mut ranked: Vec<Expert> = experts
        .into_iter()
        .map(|mut e| {
            e.score = words.iter().map(|w| score_word(&e, w)).sum();
            e
        })
        .filter(|e| words.is_empty() || e.score > 0)
        .collect();
    ranked.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.name.cmp(&b.name)));
    ranked
}

fn score_word(e: &Expert, word: &str) -> u32 {
    let has = |field: &str| field.to_lowercase().contains(word);
    let mut score = 0;
    if has(&e.specialist_in) {
        score += 4;
    }
    if e.areas.iter().any(|a| has(a)) {
        score += 2;
    }
    if has(&e.name) || has(&e.profession) || e.places.iter().any(|p| has(&p.hospital)) {
        score += 1;
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expert(name: &str, focus: &str, areas: &[&str]) -> Expert {
        Expert {
            user: UserId::new(),
            name: name.into(),
            profession: "Neurologist".into(),
            cares_for: CaresFor::Both,
            specialist_in: focus.into(),
            areas: areas.iter().map(|a| (*a).to_owned()).collect(),
            places: Vec::new(),
            score: 0,
        }
    }

    #[test]
    fn focus_text_outranks_areas_and_non_matches_are_dropped() {
        let experts = vec![
            expert("Area Only", "Epilepsy surgery", &["Hereditary ataxias"]),
            expert("Focus Match", "Spinocerebellar ataxias in adults", &[]),
            expert("No Match", "Muscular dystrophies", &["Myopathies"]),
        ];
        let ranked = rank(experts, "ataxias");
        let names: Vec<&str> = ranked.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Focus Match", "Area Only"]);
    }

    #[test]
    fn more_matching_words_rank_higher_and_no_text_keeps_everyone_by_name() {
        let experts = vec![
            expert("B", "ataxia", &[]),
            expert("A", "ataxia and dystonia", &[]),
        ];
        let ranked = rank(experts.clone(), "Ataxia, dystonia");
        assert_eq!(ranked[0].name, "A");
        assert!(ranked[0].score > ranked[1].score);
        let all = rank(experts, "  ");
        let names: Vec<&str> = all.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["A", "B"]);
    }
}
