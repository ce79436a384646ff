#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
//! Panels on both engines: references numbered per network and year,
//! round trip, the state guard on update, shares, members and answers, the
//! transitions log, posts with unanswered information requests, and the
//! network list's filters and keyset paging; outcome versions (draft,
//! frozen, closed, each guarded) with sign-off rounds, and meetings with
//! their sequence guard and minutes; guest invitations by e-mail and
//! expert groups (migration 0306); overdue urgent panels and the
//! once-a-day reminder claim.

use cpms_domain::ids::{HcpId, MeetingId, PanelId, PatientId, PostId, UserId};
use cpms_domain::org::{CountryCode, ErnCode, HcpCode, HcpKind};
use cpms_domain::panel::outcome::{
    CaseAge, Certainty, DraftDiagnosis, OutcomeDraft, PanelMember, SignOff, SignOffAnswer,
};
use cpms_domain::panel::{PanelRole, PanelState, PanelType, PostKind, SharedSection, Urgency};
use cpms_domain::patient::{
    Consent, ConsentKind, ConsentStatus, Consents, PatientStatus, Pseudonym, Sex,
};
use cpms_domain::user::{AccountStatus, User};
use cpms_store::repo::expert_groups;
use cpms_store::repo::panel_guests::{self, GuestInvitation};
use cpms_store::repo::panel_meetings::{self, StoredMeeting};
use cpms_store::repo::panel_outcomes::{self, StoredOutcome};
use cpms_store::repo::panels::{self, ErnQuery, NewPost, NewTransition, Shares, StoredPanel};
use cpms_store::repo::patients::{self, StoredPatient};
use cpms_store::repo::{reference, users};
use cpms_store::testing::TestDatabase;
use cpms_store::{Engine, Store, both_engines};

both_engines!(
    panels_round_trip_with_numbered_references,
    members_log_and_posts,
    the_network_list_filters_and_pages,
    outcome_versions_sign_offs_and_meetings,
    guest_invitations_are_found_by_hash_and_used_once,
    expert_groups_keep_unique_names_and_their_experts,
    overdue_urgent_panels_and_reminder_days,
);

fn at(second: i64) -> jiff::Timestamp {
    let start: jiff::Timestamp = "2026-11-23T10:00:00.123456Z".parse().unwrap();
    start
        .checked_add(jiff::SignedDuration::from_secs(second))
        .unwrap()
}

struct World {
    store: Store,
    hcp: HcpId,
    lead: UserId,
    expert: UserId,
    patient: PatientId,
    _db: TestDatabase,
}

fn bond() -> ErnCode {
    ErnCode::parse("BOND").unwrap()
}

async fn world(engine: Engine) -> World {
    let db = TestDatabase::new(engine).await;
    let store = db.migrated_store().await;
    let mut tx = store.write().await.unwrap();
    reference::insert_ern(
        &mut tx,
        &cpms_domain::org::Ern {
            code: bond(),
            label: "Bone".into(),
            full_name: "ERN BOND".into(),
        },
    )
    .await
    .unwrap();
    let it = CountryCode::parse("IT").unwrap();
    reference::insert_country(
        &mut tx,
        &cpms_domain::org::Country {
            code: it,
            name: "Italy".into(),
            usage: cpms_domain::org::CountryUse::Member,
        },
    )
    .await
    .unwrap();
    let hcp = reference::ensure_hcp(
        &mut tx,
        &reference::NewHcp {
            code: &HcpCode::parse("IT08").unwrap(),
            name: "AOU Pisana",
            city: "Pisa",
            country: Some(it),
            kind: HcpKind::Hospital,
            synthetic: false,
        },
    )
    .await
    .unwrap();
    let mut ids = Vec::new();
    for name in ["bond-hp1", "bond-hp2"] {
        let user = User {
            id: UserId::new(),
            username: name.into(),
            display_name: name.into(),
            email: format!("{name}@example.org"),
            status: AccountStatus::Active,
            administrator: false,
            training: true,
        };
        users::insert(&mut tx, &user, None, at(0)).await.unwrap();
        ids.push(user.id);
    }
    let consent = Consent {
        kind: ConsentKind::Care,
        status: ConsentStatus::Given,
        date: jiff::civil::date(2026, 11, 20),
        recorded_by: ids[0],
        recorded_at: at(0),
    };
    let patient = StoredPatient {
        id: PatientId::new(),
        pseudonym: Pseudonym::from_random([7, 1, 2, 3, 4, 5, 6]),
        nickname: None,
        sex: Sex::Female,
        birth_year: 2015,
        country: it,
        ern: bond(),
        hcp,
        enrolled_by: ids[0],
        enrolled_at: at(0),
        status: PatientStatus::Active,
        identity_sealed: None,
        consents: Consents::at_enrolment(vec![consent], jiff::civil::date(2026, 11, 23)).unwrap(),
        current_version: 0,
    };
    patients::insert(&mut tx, &patient).await.unwrap();
    tx.commit().await.unwrap();
    World {
        store,
        hcp,
        lead: ids[0],
        expert: ids[1],
        patient: patient.id,
        _db: db,
    }
}

async fn new_panel(w: &World, second: i64, urgency: Urgency, state: PanelState) -> StoredPanel {
    let mut tx = w.store.write().await.unwrap();
    let number = panels::next_number(&mut tx, &bond(), 2026).await.unwrap();
    let panel = StoredPanel {
        id: PanelId::new(),
        reference: format!("BOND-2026-{number:04}"),
        ern: bond(),
        patient: w.patient,
        lead: w.lead,
        lead_hcp: w.hcp,
        area: None,
        panel_type: PanelType::Diagnosis,
        urgency,
        questions: "What is it?".into(),
        answer_by: Some(jiff::civil::date(2026, 12, 1)),
        state,
        ern_help: false,
        created_at: at(second),
        submitted_at: None,
        first_contribution_at: None,
        closed_at: None,
        closed_few_contributions: false,
    };
    panels::insert(&mut tx, &panel).await.unwrap();
    tx.commit().await.unwrap();
    panel
}

async fn panels_round_trip_with_numbered_references(engine: Engine) {
    let w = world(engine).await;
    let first = new_panel(&w, 1, Urgency::Urgent, PanelState::Draft).await;
    let second = new_panel(&w, 2, Urgency::Routine, PanelState::Draft).await;
    assert_eq!(first.reference, "BOND-2026-0001");
    assert_eq!(second.reference, "BOND-2026-0002");
    let mut conn = w.store.read().await.unwrap();
    let read = panels::get_by_reference(&mut conn, &first.reference)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read, first);
    drop(conn);

    let mut open = first.clone();
    open.state = PanelState::Open;
    open.submitted_at = Some(at(3));
    let mut tx = w.store.write().await.unwrap();
    assert!(
        panels::update(&mut tx, &open, PanelState::Draft)
            .await
            .unwrap()
    );
    assert!(
        !panels::update(&mut tx, &open, PanelState::Draft)
            .await
            .unwrap(),
        "a panel that moved meanwhile is not overwritten"
    );
    let shares = Shares {
        sections: vec![SharedSection::Phenotype, SharedSection::Summary],
        attachments: vec!["blob-1".into()],
        studies: vec!["2.25.1234".into()],
    };
    panels::set_shares(&mut tx, first.id, &shares)
        .await
        .unwrap();
    panels::first_contribution(&mut tx, first.id, at(4))
        .await
        .unwrap();
    panels::first_contribution(&mut tx, first.id, at(5))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = w.store.read().await.unwrap();
    let read = panels::get_by_reference(&mut conn, &first.reference)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.state, PanelState::Open);
    assert_eq!(
        read.first_contribution_at,
        Some(at(4)),
        "the first one stays"
    );
    let got = panels::shares(&mut conn, first.id).await.unwrap();
    assert_eq!(
        got.sections,
        [SharedSection::Summary, SharedSection::Phenotype]
    );
    assert_eq!(got.attachments, ["blob-1"]);
    assert_eq!(got.studies, ["2.25.1234"]);
    assert_eq!(
        panels::sharing_study(&mut conn, "2.25.1234").await.unwrap(),
        [first.id]
    );
}

async fn members_log_and_posts(engine: Engine) {
    let w = world(engine).await;
    let panel = new_panel(&w, 1, Urgency::Urgent, PanelState::Open).await;
    let mut tx = w.store.write().await.unwrap();
    panels::put_member(
        &mut tx,
        panel.id,
        w.expert,
        PanelRole::Invited,
        w.lead,
        at(2),
    )
    .await
    .unwrap();
    panels::answer(&mut tx, panel.id, w.expert, Some("Not my field"), at(3))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = w.store.read().await.unwrap();
    let declined = panels::member(&mut conn, panel.id, w.expert)
        .await
        .unwrap()
        .unwrap();
    assert!(declined.declined && declined.granted_role().is_none());
    assert_eq!(declined.decline_reason.as_deref(), Some("Not my field"));
    assert!(
        panels::joined_by(&mut conn, w.expert, 10)
            .await
            .unwrap()
            .is_empty()
    );
    drop(conn);

    let mut tx = w.store.write().await.unwrap();
    panels::put_member(
        &mut tx,
        panel.id,
        w.expert,
        PanelRole::Invited,
        w.lead,
        at(4),
    )
    .await
    .unwrap();
    panels::answer(&mut tx, panel.id, w.expert, None, at(5))
        .await
        .unwrap();
    for (from, to, t) in [
        (PanelState::Draft, PanelState::Submitted, "submit"),
        (PanelState::Submitted, PanelState::Open, "open"),
    ] {
        let step = NewTransition {
            from,
            to,
            transition: t,
            actor: w.lead,
            on_behalf_of: None,
            at: at(6),
            comment: None,
        };
        panels::log_transition(&mut tx, panel.id, &step)
            .await
            .unwrap();
    }
    let question = PostId::new();
    for (id, kind, author, reply_to) in [
        (question, PostKind::InfoRequest, w.expert, None),
        (PostId::new(), PostKind::Contribution, w.expert, None),
    ] {
        let post = NewPost {
            id,
            kind,
            reply_to,
            author,
            on_behalf_of: None,
            body: "text",
            at: at(7),
        };
        panels::insert_post(&mut tx, panel.id, &post).await.unwrap();
    }
    tx.commit().await.unwrap();
    let mut conn = w.store.read().await.unwrap();
    let joined = panels::joined_by(&mut conn, w.expert, 10).await.unwrap();
    assert_eq!(joined[0].role, Some(PanelRole::Member));
    let log = panels::transitions(&mut conn, panel.id).await.unwrap();
    let steps: Vec<&str> = log.iter().map(|t| t.transition.as_str()).collect();
    assert_eq!(steps, ["submit", "open"]);
    assert_eq!(
        panels::unanswered_requests(&mut conn, w.lead)
            .await
            .unwrap(),
        [(panel.id, 1)]
    );
    assert_eq!(
        panels::post_kind_and_author(&mut conn, panel.id, question)
            .await
            .unwrap(),
        Some((PostKind::InfoRequest, w.expert))
    );
    assert_eq!(
        panels::count_posts(&mut conn, panel.id, PostKind::Contribution)
            .await
            .unwrap(),
        1
    );
    drop(conn);
    let mut tx = w.store.write().await.unwrap();
    let answer = NewPost {
        id: PostId::new(),
        kind: PostKind::Answer,
        reply_to: Some(question),
        author: w.lead,
        on_behalf_of: None,
        body: "answer",
        at: at(8),
    };
    panels::insert_post(&mut tx, panel.id, &answer)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = w.store.read().await.unwrap();
    assert!(
        panels::unanswered_requests(&mut conn, w.lead)
            .await
            .unwrap()
            .is_empty()
    );
    let posts = panels::posts(&mut conn, panel.id).await.unwrap();
    assert_eq!(posts.len(), 3);
    assert_eq!(posts[2].reply_to, Some(question));
}

async fn the_network_list_filters_and_pages(engine: Engine) {
    let w = world(engine).await;
    let mut made = Vec::new();
    for i in 0..5 {
        let urgency = if i % 2 == 0 {
            Urgency::Urgent
        } else {
            Urgency::Routine
        };
        made.push(new_panel(&w, i, urgency, PanelState::Open).await);
    }
    let mut query = ErnQuery {
        ern: bond(),
        state: Some(PanelState::Open),
        urgency: None,
        area: None,
        after: None,
        limit: 2,
    };
    let mut conn = w.store.read().await.unwrap();
    let mut seen = Vec::new();
    loop {
        let page = panels::of_ern(&mut conn, &query).await.unwrap();
        let Some(last) = page.last() else { break };
        query.after = Some((last.created_at, last.id));
        seen.extend(page.iter().map(|p| p.reference.clone()));
    }
    let newest_first: Vec<String> = made.iter().rev().map(|p| p.reference.clone()).collect();
    assert_eq!(seen, newest_first);
    query.after = None;
    query.limit = 10;
    query.urgency = Some(Urgency::Urgent);
    assert_eq!(panels::of_ern(&mut conn, &query).await.unwrap().len(), 3);
    query.state = Some(PanelState::Triage);
    assert!(panels::of_ern(&mut conn, &query).await.unwrap().is_empty());
    let led = panels::led_by(&mut conn, w.lead, 3).await.unwrap();
    assert_eq!(led.len(), 3);
    assert_eq!(led[0].reference, made[4].reference);
    let pseudonym = Pseudonym::from_random([7, 1, 2, 3, 4, 5, 6]);
    assert_eq!(led[0].pseudonym, pseudonym.as_str());
}

fn outcome_draft(w: &World, panel: &StoredPanel, version: u32) -> OutcomeDraft {
    OutcomeDraft {
        panel: panel.id,
        reference: panel.reference.clone(),
        ern: bond(),
        version,
        pseudonym: Pseudonym::from_random([7; 7]),
        age: CaseAge::Years(15),
        sex: Sex::Male,
        country: CountryCode::parse("IT").unwrap(),
        case_summary: "Fractures.".into(),
        questions: vec!["Which disorder?".into()],
        composition: vec![
            PanelMember {
                user: w.lead,
                name: "Lead".into(),
                profession: "Paediatrician".into(),
                hospital: "Hospital".into(),
                country: CountryCode::parse("IT").unwrap(),
                role: PanelRole::Lead,
                guest: false,
            },
            PanelMember {
                user: w.expert,
                name: "Expert".into(),
                profession: "Geneticist".into(),
                hospital: "Hospital".into(),
                country: CountryCode::parse("IT").unwrap(),
                role: PanelRole::Member,
                guest: false,
            },
        ],
        discussion: "Agreed.".into(),
        diagnoses: vec![DraftDiagnosis {
            code: "ORPHA:558".into(),
            label: "Marfan syndrome".into(),
            certainty: Certainty::Excluded,
        }],
        investigations: vec![],
        plan: "Treat.".into(),
        follow_up: "Review.".into(),
    }
}

async fn outcome_versions_sign_offs_and_meetings(engine: Engine) {
    let w = world(engine).await;
    let panel = new_panel(&w, 1, Urgency::Routine, PanelState::OutcomeDrafting).await;
    let draft = outcome_draft(&w, &panel, 1);
    let mut tx = w.store.write().await.unwrap();
    panel_outcomes::insert(
        &mut tx,
        &StoredOutcome {
            panel: panel.id,
            version: 1,
            draft: draft.clone(),
            document: None,
            round: 0,
            created_at: at(1),
            drafted_at: at(1),
            drafted_by: w.lead,
            frozen_at: None,
            closed_at: None,
        },
    )
    .await
    .unwrap();
    let mut edited = draft.clone();
    edited.plan = "Treat early.".into();
    assert!(
        panel_outcomes::save_draft(&mut tx, &edited, w.lead, at(2))
            .await
            .unwrap()
    );
    let document = edited.clone().validate().unwrap();
    assert!(
        panel_outcomes::freeze(&mut tx, &document, at(3))
            .await
            .unwrap()
    );
    assert!(
        !panel_outcomes::save_draft(&mut tx, &edited, w.lead, at(4))
            .await
            .unwrap(),
        "a frozen version takes no draft"
    );
    let signed = SignOff {
        user: w.expert,
        at: at(5),
        answer: SignOffAnswer::Comment {
            text: "Add audiology".into(),
        },
    };
    panel_outcomes::put_sign_off(&mut tx, panel.id, 1, 1, &signed)
        .await
        .unwrap();
    let signed = SignOff {
        answer: SignOffAnswer::Signed,
        ..signed
    };
    panel_outcomes::put_sign_off(&mut tx, panel.id, 1, 1, &signed)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut conn = w.store.read().await.unwrap();
    let stored = panel_outcomes::latest(&mut conn, panel.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.round, 1);
    assert_eq!(stored.draft.plan, "Treat early.");
    assert_eq!(stored.document.as_ref(), Some(&document));
    let answers = panel_outcomes::sign_offs(&mut conn, panel.id, 1, 1)
        .await
        .unwrap();
    assert_eq!(answers.len(), 1, "a later answer replaces the earlier");
    assert_eq!(answers[0].sign_off, signed);
    assert_eq!(answers[0].name, "bond-hp2");
    drop(conn);

    let mut tx = w.store.write().await.unwrap();
    let mut issued = document.clone();
    issued.sign_offs = vec![signed.clone()];
    assert!(
        panel_outcomes::close(&mut tx, &issued, at(6))
            .await
            .unwrap()
    );
    assert!(
        !panel_outcomes::close(&mut tx, &issued, at(7))
            .await
            .unwrap(),
        "closed once"
    );
    assert!(
        !panel_outcomes::unfreeze(&mut tx, panel.id, 1)
            .await
            .unwrap(),
        "never thawed"
    );
    tx.commit().await.unwrap();
    let mut conn = w.store.read().await.unwrap();
    let v1 = panel_outcomes::get(&mut conn, panel.id, 1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(v1.closed_at, Some(at(6)));
    assert_eq!(v1.document.unwrap().sign_offs, vec![signed]);
    drop(conn);

    let meeting = StoredMeeting {
        id: MeetingId::new(),
        panel: panel.id,
        local_start: jiff::civil::date(2026, 12, 3).at(14, 30, 0, 0),
        time_zone: "Europe/Brussels".into(),
        starts_at: "2026-12-03T13:30:00Z".parse().unwrap(),
        duration_minutes: 60,
        agenda: "Imaging".into(),
        video_link: "https://meet.example.org/x".into(),
        sequence: 0,
        organiser: w.lead,
        organiser_name: String::new(),
        created_at: at(1),
        updated_at: at(1),
        cancelled_at: None,
        minutes: None,
        minutes_at: None,
    };
    let mut tx = w.store.write().await.unwrap();
    panel_meetings::insert(&mut tx, &meeting).await.unwrap();
    let moved = StoredMeeting {
        duration_minutes: 30,
        sequence: 1,
        updated_at: at(2),
        ..meeting.clone()
    };
    assert!(panel_meetings::update(&mut tx, &moved, 0).await.unwrap());
    assert!(
        !panel_meetings::update(&mut tx, &moved, 0).await.unwrap(),
        "a stale sequence loses"
    );
    assert!(
        panel_meetings::set_minutes(&mut tx, panel.id, meeting.id, "Agreed.", w.lead, at(3))
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    let mut conn = w.store.read().await.unwrap();
    let listed = panel_meetings::of_panel(&mut conn, panel.id).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].sequence, 1);
    assert_eq!(listed[0].duration_minutes, 30);
    assert_eq!(listed[0].local_start, meeting.local_start);
    assert_eq!(listed[0].minutes.as_deref(), Some("Agreed."));
    assert_eq!(listed[0].organiser_name, "bond-hp1");
}

async fn guest_invitations_are_found_by_hash_and_used_once(engine: Engine) {
    let w = world(engine).await;
    let panel = new_panel(&w, 1, Urgency::Routine, PanelState::Open).await;
    let invitation = GuestInvitation {
        id: cpms_domain::ids::GuestInvitationId::new(),
        panel: panel.id,
        name: "Ada Guest".into(),
        email: "Ada.Guest@Example.org".into(),
        invited_by: w.lead,
        invited_at: at(2),
        expires_at: at(2 + 14 * 86_400),
        used_at: None,
        used_by: None,
    };
    let mut tx = w.store.write().await.unwrap();
    panel_guests::insert(&mut tx, "hash-of-token", &invitation)
        .await
        .unwrap();
    let found = panel_guests::by_token(&mut tx, "hash-of-token")
        .await
        .unwrap();
    assert_eq!(found.as_ref(), Some(&invitation));
    assert_eq!(
        panel_guests::by_token(&mut tx, "other").await.unwrap(),
        None
    );
    assert!(
        panel_guests::mark_used(&mut tx, invitation.id, w.expert, at(3))
            .await
            .unwrap()
    );
    assert!(
        !panel_guests::mark_used(&mut tx, invitation.id, w.lead, at(4))
            .await
            .unwrap(),
        "a used invitation is not used again"
    );
    let listed = panel_guests::of_panel(&mut tx, panel.id).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].used_by, Some(w.expert));
    assert_eq!(listed[0].used_at, Some(at(3)));
    let by_email = users::find_by_email(&mut tx, "BOND-HP2@example.ORG")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_email.id, w.expert, "addresses compare without case");
    tx.commit().await.unwrap();
}

async fn expert_groups_keep_unique_names_and_their_experts(engine: Engine) {
    let w = world(engine).await;
    let id = cpms_domain::ids::ExpertGroupId::new();
    let mut tx = w.store.write().await.unwrap();
    expert_groups::create(&mut tx, id, &bond(), "Bone fragility", w.lead, at(1))
        .await
        .unwrap();
    let clash = expert_groups::create(
        &mut tx,
        cpms_domain::ids::ExpertGroupId::new(),
        &bond(),
        "BONE fragility",
        w.lead,
        at(2),
    )
    .await;
    assert!(
        matches!(clash, Err(cpms_store::StoreError::Duplicate { .. })),
        "{clash:?}"
    );
    // The transaction is still usable after the refused name.
    for user in [w.expert, w.lead, w.expert] {
        expert_groups::add_member(&mut tx, id, user, w.lead, at(3))
            .await
            .unwrap();
    }
    expert_groups::rename(&mut tx, id, "Fragility")
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut conn = w.store.read().await.unwrap();
    let groups = expert_groups::of_ern(&mut conn, &bond()).await.unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(
        (groups[0].name.as_str(), groups[0].members),
        ("Fragility", 2)
    );
    let members = expert_groups::members(&mut conn, id).await.unwrap();
    let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["bond-hp1", "bond-hp2"]);
    drop(conn);

    let mut tx = w.store.write().await.unwrap();
    assert!(
        expert_groups::remove_member(&mut tx, id, w.lead)
            .await
            .unwrap()
    );
    assert!(
        !expert_groups::remove_member(&mut tx, id, w.lead)
            .await
            .unwrap()
    );
    expert_groups::delete(&mut tx, id).await.unwrap();
    assert_eq!(expert_groups::get(&mut tx, id).await.unwrap(), None);
    tx.commit().await.unwrap();
}

async fn overdue_urgent_panels_and_reminder_days(engine: Engine) {
    let w = world(engine).await;
    // All answer by 2026-12-01.
    let open = new_panel(&w, 1, Urgency::Urgent, PanelState::Open).await;
    new_panel(&w, 2, Urgency::Routine, PanelState::Open).await;
    new_panel(&w, 3, Urgency::Urgent, PanelState::Draft).await;
    new_panel(&w, 4, Urgency::Urgent, PanelState::Closed).await;
    let mut conn = w.store.read().await.unwrap();
    let on_the_day = panels::overdue_urgent(&mut conn, jiff::civil::date(2026, 12, 1))
        .await
        .unwrap();
    assert!(on_the_day.is_empty());
    let after = panels::overdue_urgent(&mut conn, jiff::civil::date(2026, 12, 2))
        .await
        .unwrap();
    assert_eq!(
        after,
        std::slice::from_ref(&open),
        "urgent, under way, date passed"
    );
    drop(conn);

    let day = jiff::civil::date(2026, 12, 2);
    let mut tx = w.store.write().await.unwrap();
    assert!(
        panels::claim_reminder(&mut tx, open.id, day, at(10))
            .await
            .unwrap()
    );
    assert!(
        !panels::claim_reminder(&mut tx, open.id, day, at(20))
            .await
            .unwrap()
    );
    let next = jiff::civil::date(2026, 12, 3);
    assert!(
        panels::claim_reminder(&mut tx, open.id, next, at(30))
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
}
