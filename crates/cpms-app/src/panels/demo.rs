//! Synthetic panels for demonstrations and benchmarks (`cpms demo panels`):
//! spread over the training networks, led by their clinicians about a
//! synthetic patient each, with invited experts (most accept, some decline
//! or have not answered), a discussion of about ten contributions, and a
//! share taken through outcome drafting and sign-off to closing, those
//! with an issued outcome document (`demo_outcome.rs`). Every
//! state is reached through the lifecycle's own transitions, logged as the
//! real steps are. Written in batches of one transaction each.

use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::ids::{HcpId, PanelId, PostId, ThematicAreaId, UserId};
use cpms_domain::org::{ErnCode, Role};
use cpms_domain::panel::{
    PanelRole, PanelState, PanelType, PostKind, SharedSection, Transition, Urgency, request,
};
use cpms_domain::training::training_accounts;
use cpms_store::repo::panels::{self as repo, NewPost, NewTransition, Shares, StoredPanel};
use cpms_store::repo::{audit, memberships, patients, reference, users};
use jiff::{SignedDuration, Timestamp};
use rand::Rng;
use rand::seq::SliceRandom;

use super::demo_outcome::{DemoOutcome, write_demo_outcome};
use crate::patients::synthetic_history;
use crate::{App, AppError};

/// Panels per transaction.
const BATCH: usize = 250;
/// How far back the first panel was requested.
const SPAN: SignedDuration = SignedDuration::from_hours(2 * 365 * 24);

/// The states panels end in, with their weights (out of 100).
const STATES: &[(PanelState, u32)] = &[
    (PanelState::Draft, 4),
    (PanelState::Triage, 4),
    (PanelState::Open, 40),
    (PanelState::OutcomeDrafting, 8),
    (PanelState::SignOff, 6),
    (PanelState::Closed, 28),
    (PanelState::Archived, 6),
    (PanelState::Cancelled, 4),
];

const QUESTIONS: &[&str] = &[
    "Does the phenotype fit the suspected diagnosis, and which test would confirm it?",
    "Which treatment would the panel recommend given the progression over the last year?",
    "Is the variant of uncertain significance likely to explain the presentation?",
    "How should follow-up be organised between the local team and an expert centre?",
];
const CONTRIBUTIONS: &[&str] = &[
    "The presentation is typical; I would confirm with targeted sequencing before treating.",
    "In our cohort a similar course responded to early physiotherapy and a low dose.",
    "I would exclude a metabolic cause first: lactate and acylcarnitines would settle it.",
    "The imaging is compatible; a second opinion from neuroradiology would help.",
    "We would monitor every six months with growth charts and a yearly echocardiogram.",
];
const COMMENTS: &[&str] = &[
    "Agreed with the previous opinion.",
    "Thank you, this is helpful.",
    "Could we discuss this at the next meeting?",
];
const DECLINE_REASONS: &[&str] = &[
    "Outside my field of expertise.",
    "On leave until next month.",
];

/// What `cpms demo panels` wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoPanels {
    pub panels: usize,
    /// Panels per final state, in the order of [`PanelState::ALL`].
    pub by_state: Vec<(PanelState, usize)>,
    pub invitations: usize,
    pub declined: usize,
    pub contributions: usize,
    /// Comments, requests for information and answers.
    pub other_posts: usize,
    /// Closed (or archived) with fewer than two contributions.
    pub closed_few: usize,
    /// Outcome documents issued (one per closed or archived panel).
    pub outcomes: usize,
}

/// A clinician who may lead panels and be invited to them.
#[derive(Debug, Clone, Copy)]
struct Clinician {
    user: UserId,
    hcp: HcpId,
}

/// A training network with the people who work its panels.
struct Network {
    ern: ErnCode,
    clinicians: Vec<Clinician>,
    coordinator: UserId,
    areas: Vec<ThematicAreaId>,
}

/// One panel being made up, with the clock of its timeline.
struct Draft<'a> {
    net: &'a Network,
    panel: StoredPanel,
    at: Timestamp,
    step: SignedDuration,
}

impl Draft<'_> {
    /// The time of the next thing that happens on this panel.
    fn tick(&mut self) -> Timestamp {
        self.at += self.step;
        self.at
    }
}

impl App {
    /// Creates `count` synthetic panels across the training networks;
    /// `committed` hears how many are stored after each batch.
    pub async fn demo_panels(
        &self,
        count: usize,
        mut committed: impl FnMut(usize),
    ) -> Result<DemoPanels, AppError> {
        let networks = self.demo_networks().await?;
        let now = self.now();
        let spacing = SPAN / i32::try_from(count.max(1)).unwrap_or(i32::MAX);
        let mut rng = rand::thread_rng();
        let mut summary = DemoPanels {
            by_state: PanelState::ALL.iter().map(|s| (*s, 0)).collect(),
            ..DemoPanels::default()
        };
        let mut done = 0;
        while done < count {
            let size = BATCH.min(count - done);
            let mut tx = self.store().write().await?;
            for n in done..done + size {
                // Oldest first, so reference numbers rise with time.
                let back = i32::try_from(count - n).unwrap_or(i32::MAX);
                let at = now - spacing * back;
                let net = networks.choose(&mut rng).unwrap_or(&networks[0]);
                self.demo_panel(&mut tx, &mut rng, net, at, now, &mut summary)
                    .await?;
            }
            let event = NewEvent::new("panel.demo_create", "panels", Outcome::Success)
                .detail(format!("{size} synthetic panels created"));
            audit::append(&mut tx, event, now).await?;
            tx.commit().await?;
            done += size;
            summary.panels = done;
            committed(done);
        }
        Ok(summary)
    }

    /// The training networks' clinicians (as leads and experts), their
    /// coordinator (who forwards triaged requests) and thematic areas.
    async fn demo_networks(&self) -> Result<Vec<Network>, AppError> {
        let missing = || {
            AppError::invalid(
                "The training accounts are missing: start the server once with --training on \
                 this database before `cpms demo panels`.",
            )
        };
        let now = self.now();
        let mut conn = self.store().read().await?;
        let mut networks: Vec<Network> = Vec::new();
        for account in training_accounts() {
            if !matches!(account.role, Role::Hp | Role::Coordinator) {
                continue;
            }
            let (user, _) = users::find_by_username(&mut conn, &account.username)
                .await?
                .ok_or_else(missing)?;
            let held = memberships::of_user(&mut conn, user.id).await?;
            let Some(m) = held
                .iter()
                .find(|m| m.ern == account.ern && m.role == account.role && m.is_active(now))
            else {
                continue;
            };
            if networks.last().is_none_or(|n| n.ern != account.ern) {
                let areas = reference::areas_of_ern(&mut conn, &account.ern).await?;
                networks.push(Network {
                    ern: account.ern.clone(),
                    clinicians: Vec::new(),
                    coordinator: user.id,
                    areas: areas.into_iter().map(|a| a.id).collect(),
                });
            }
            if let Some(net) = networks.last_mut() {
                match account.role {
                    Role::Coordinator => net.coordinator = user.id,
                    _ => net.clinicians.push(Clinician {
                        user: user.id,
                        hcp: m.hcp,
                    }),
                }
            }
        }
        // A panel needs a lead and at least one other expert.
        networks.retain(|n| n.clinicians.len() >= 2);
        if networks.is_empty() {
            return Err(missing());
        }
        Ok(networks)
    }

    /// One panel requested at `at` in `net`, with its patient, members,
    /// steps and discussion.
    async fn demo_panel(
        &self,
        tx: &mut cpms_store::WriteTx,
        rng: &mut impl Rng,
        net: &Network,
        at: Timestamp,
        now: Timestamp,
        summary: &mut DemoPanels,
    ) -> Result<(), AppError> {
        let mut experts = net.clinicians.clone();
        experts.shuffle(rng);
        let lead = experts.remove(0);
        let patient = self.synthetic_patient(rng, lead.user, lead.hcp, &net.ern, at)?;
        patients::insert(tx, &patient).await?;
        let history = synthetic_history(rng, lead.user, at)?;
        for version in &history {
            patients::append_version(tx, patient.id, version).await?;
        }
        let year = at.to_zoned(jiff::tz::TimeZone::UTC).year();
        let number = repo::next_number(tx, &net.ern, year).await?;
        let urgency = if rng.gen_bool(0.2) {
            Urgency::Urgent
        } else {
            Urgency::Routine
        };
        let target = pick_state(rng);
        let ern_help = target == PanelState::Triage || rng.gen_bool(0.25);
        let mut draft = Draft {
            net,
            panel: StoredPanel {
                id: PanelId::new(),
                reference: request::reference(&net.ern, year, number),
                ern: net.ern.clone(),
                patient: patient.id,
                lead: lead.user,
                lead_hcp: lead.hcp,
                area: net.areas.choose(rng).copied(),
                panel_type: *[
                    PanelType::Diagnosis,
                    PanelType::Treatment,
                    PanelType::FollowUp,
                ]
                .choose(rng)
                .unwrap_or(&PanelType::Diagnosis),
                urgency,
                questions: (*QUESTIONS.choose(rng).unwrap_or(&QUESTIONS[0])).to_owned(),
                answer_by: rng
                    .gen_bool(0.5)
                    .then(|| at.to_zoned(jiff::tz::TimeZone::UTC).date())
                    .and_then(|d| d.checked_add(jiff::Span::new().days(30)).ok()),
                state: PanelState::Draft,
                ern_help,
                created_at: at,
                submitted_at: None,
                first_contribution_at: None,
                closed_at: None,
                closed_few_contributions: false,
            },
            at,
            // Everything on a panel happens before now, however recent.
            step: (now.duration_since(at) / 40).min(SignedDuration::from_hours(6)),
        };
        // Stored as a draft first (members and posts refer to it), then
        // updated with where its steps led.
        repo::insert(tx, &draft.panel).await?;
        let path = path_to(target, ern_help);
        // Steps up to discussion, then the members and the discussion,
        // then the steps after it.
        let opening = path
            .iter()
            .position(|t| matches!(t, Transition::Open | Transition::Forward))
            .map_or(path.len(), |i| i + 1);
        let mut steps = Vec::with_capacity(path.len());
        for transition in &path[..opening] {
            steps.push(draft.step_by(*transition)?);
        }
        let mut contributions = 0;
        let mut members = Vec::new();
        if draft.panel.state == PanelState::Open {
            members = demo_members(tx, rng, &mut draft, experts, summary).await?;
            contributions = demo_discussion(tx, rng, &mut draft, &members, target, summary).await?;
        }
        for transition in &path[opening..] {
            steps.push(draft.step_by(*transition)?);
        }
        if matches!(target, PanelState::Closed | PanelState::Archived) && contributions < 2 {
            draft.panel.closed_few_contributions = true;
            summary.closed_few += 1;
        }
        repo::update(tx, &draft.panel, PanelState::Draft).await?;
        let shares = Shares {
            sections: vec![
                SharedSection::Summary,
                SharedSection::Diagnoses,
                SharedSection::Phenotype,
            ],
            attachments: Vec::new(),
            studies: Vec::new(),
        };
        repo::set_shares(tx, draft.panel.id, &shares).await?;
        for step in &steps {
            repo::log_transition(tx, draft.panel.id, step).await?;
        }
        if let (true, Some(last)) = (draft.panel.closed_at.is_some(), history.last()) {
            let outcome = DemoOutcome {
                panel: &draft.panel,
                patient: &patient,
                record: &last.content,
                members: &members,
                contributions,
                steps: &steps,
            };
            write_demo_outcome(tx, rng, outcome).await?;
            summary.outcomes += 1;
        }
        if let Some(slot) = summary.by_state.iter_mut().find(|(s, _)| *s == target) {
            slot.1 += 1;
        }
        Ok(())
    }
}

impl Draft<'_> {
    /// Takes `transition` as the lifecycle allows it, by whoever takes it
    /// in real life, and stamps the times the indicators use.
    fn step_by(&mut self, transition: Transition) -> Result<NewTransition<'static>, AppError> {
        let from = self.panel.state;
        let to = transition.apply(from).map_err(AppError::internal)?;
        let at = self.tick();
        match transition {
            Transition::Submit => self.panel.submitted_at = Some(at),
            Transition::Close => self.panel.closed_at = Some(at),
            _ => {}
        }
        let actor = match transition {
            Transition::Forward => self.net.coordinator,
            _ => self.panel.lead,
        };
        self.panel.state = to;
        Ok(NewTransition {
            from,
            to,
            transition: transition.as_str(),
            actor,
            on_behalf_of: None,
            at,
            comment: None,
        })
    }
}

/// Invites two to four other clinicians of the network: the first accepts,
/// the others mostly accept; some decline, and on panels still under way
/// some have not answered. Returns those who accepted.
async fn demo_members(
    tx: &mut cpms_store::WriteTx,
    rng: &mut impl Rng,
    draft: &mut Draft<'_>,
    mut experts: Vec<Clinician>,
    summary: &mut DemoPanels,
) -> Result<Vec<UserId>, AppError> {
    experts.truncate(rng.gen_range(2..=4));
    let panel = draft.panel.id;
    let inviter = draft.panel.lead;
    let mut accepted = Vec::with_capacity(experts.len());
    for (n, expert) in experts.iter().enumerate() {
        let invited = draft.tick();
        repo::put_member(tx, panel, expert.user, PanelRole::Invited, inviter, invited).await?;
        summary.invitations += 1;
        let roll = rng.gen_range(0..100);
        if n == 0 || roll < 75 {
            repo::answer(tx, panel, expert.user, None, draft.tick()).await?;
            accepted.push(expert.user);
        } else if roll < 90 {
            let reason = DECLINE_REASONS.choose(rng).unwrap_or(&DECLINE_REASONS[0]);
            repo::answer(tx, panel, expert.user, Some(reason), draft.tick()).await?;
            summary.declined += 1;
        }
        // Else the invitation waits for an answer.
    }
    Ok(accepted)
}

/// Contributions (three to twenty, or fewer than two on a few panels),
/// some comments, and on a quarter of panels a request for information,
/// answered unless the panel is still open. Returns the contributions.
async fn demo_discussion(
    tx: &mut cpms_store::WriteTx,
    rng: &mut impl Rng,
    draft: &mut Draft<'_>,
    members: &[UserId],
    target: PanelState,
    summary: &mut DemoPanels,
) -> Result<usize, AppError> {
    let panel = draft.panel.id;
    let lead = draft.panel.lead;
    let contributions = if rng.gen_bool(0.08) {
        rng.gen_range(0..2)
    } else {
        rng.gen_range(3..=20)
    };
    let post = |kind, author, body: &'static str, reply_to, at| NewPost {
        id: PostId::new(),
        kind,
        reply_to,
        author,
        on_behalf_of: None,
        body,
        at,
    };
    for _ in 0..contributions {
        let author = *members.choose(rng).unwrap_or(&lead);
        let body = CONTRIBUTIONS.choose(rng).unwrap_or(&CONTRIBUTIONS[0]);
        let at = draft.tick();
        draft.panel.first_contribution_at.get_or_insert(at);
        repo::insert_post(
            tx,
            panel,
            &post(PostKind::Contribution, author, body, None, at),
        )
        .await?;
    }
    for _ in 0..rng.gen_range(0..=2) {
        let author = if rng.gen_bool(0.3) {
            lead
        } else {
            *members.choose(rng).unwrap_or(&lead)
        };
        let body = COMMENTS.choose(rng).unwrap_or(&COMMENTS[0]);
        let at = draft.tick();
        repo::insert_post(tx, panel, &post(PostKind::Comment, author, body, None, at)).await?;
        summary.other_posts += 1;
    }
    if rng.gen_bool(0.25) {
        let asker = *members.choose(rng).unwrap_or(&lead);
        let at = draft.tick();
        let request = post(
            PostKind::InfoRequest,
            asker,
            "Could you share the latest laboratory results?",
            None,
            at,
        );
        repo::insert_post(tx, panel, &request).await?;
        summary.other_posts += 1;
        if target != PanelState::Open || rng.gen_bool(0.5) {
            let at = draft.tick();
            let answer = post(
                PostKind::Answer,
                lead,
                "Added to the shared summary: all within the normal range.",
                Some(request.id),
                at,
            );
            repo::insert_post(tx, panel, &answer).await?;
            summary.other_posts += 1;
        }
    }
    summary.contributions += contributions;
    Ok(contributions)
}

fn pick_state(rng: &mut impl Rng) -> PanelState {
    let mut roll = rng.gen_range(0..STATES.iter().map(|(_, w)| w).sum::<u32>());
    for (state, weight) in STATES {
        if roll < *weight {
            return *state;
        }
        roll -= weight;
    }
    PanelState::Open
}

/// The steps from a draft to `target`: through triage when the lead asked
/// the network for help.
fn path_to(target: PanelState, ern_help: bool) -> Vec<Transition> {
    use Transition as T;
    let opening: &[T] = if ern_help {
        &[T::Submit, T::AskErnHelp, T::Forward]
    } else {
        &[T::Submit, T::Open]
    };
    let after: &[T] = match target {
        PanelState::Draft => return Vec::new(),
        PanelState::Submitted | PanelState::Triage => return vec![T::Submit, T::AskErnHelp],
        PanelState::Open => &[],
        PanelState::OutcomeDrafting => &[T::StartOutcome],
        PanelState::SignOff => &[T::StartOutcome, T::RequestSignOff],
        PanelState::Closed => &[T::StartOutcome, T::RequestSignOff, T::Close],
        PanelState::Archived => &[T::StartOutcome, T::RequestSignOff, T::Close, T::Archive],
        PanelState::Cancelled => &[T::Cancel],
    };
    opening.iter().chain(after).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_state_is_reached_through_the_lifecycle() {
        for target in PanelState::ALL {
            for ern_help in [false, true] {
                let mut state = PanelState::Draft;
                for t in path_to(target, ern_help) {
                    state = t.apply(state).unwrap();
                }
                let expected = match target {
                    PanelState::Submitted => PanelState::Triage,
                    other => other,
                };
                assert_eq!(state, expected, "{target:?} with help {ern_help}");
            }
        }
    }
}
