//! Panel meetings: the lead, a panel manager or the network's staff
//! schedule, change and cancel them; each attendee (the lead, the members,
//! the managers) gets an e-mail with the calendar invitation, written to
//! the outbox in the same transaction. Minutes are kept with the meeting.

use cpms_domain::ids::{MeetingId, UserId};
use cpms_domain::org::InvalidValue;
use cpms_domain::panel::Activity;
use cpms_domain::panel::meeting::{self, MeetingForm, MeetingPlan};
use cpms_store::repo::panel_meetings::{self as meetings, StoredMeeting};
use cpms_store::repo::panel_people::{self, Person};
use cpms_store::repo::panels as repo;
use cpms_store::repo::{audit, outbox};

use super::access::{Loaded, changed_meanwhile, panel_event, participants};
use super::event::{MeetingChange, PanelEvent, PanelEventKind, Recipients};
use super::meeting_mail::{MeetingNotice, meeting_mails};
use crate::{App, AppError, Caller};

fn field_label(field: &str) -> &'static str {
    match field {
        "date" => "Date",
        "time" => "Time",
        "time_zone" => "Time zone",
        "duration" => "Duration",
        "agenda" => "Agenda",
        "minutes" => "Minutes",
        _ => "Meeting",
    }
}

fn invalid(problems: &[InvalidValue]) -> AppError {
    AppError::invalid(
        problems
            .iter()
            .map(|p| format!("{}: {}.", field_label(p.field), p.message))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

impl App {
    /// Schedules a meeting and invites every attendee; returns its id.
    pub async fn schedule_meeting(
        &self,
        caller: &Caller,
        reference: &str,
        form: &MeetingForm,
    ) -> Result<(MeetingId, PanelEvent), AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.panel_may(caller, &loaded, Activity::ScheduleMeeting)
            .await?;
        let now = self.now();
        let plan = MeetingPlan::parse(form, now).map_err(|p| invalid(&p))?;
        let id = MeetingId::new();
        let p = &loaded.panel;
        let stored = StoredMeeting {
            id,
            panel: p.id,
            local_start: plan.local_start,
            time_zone: plan.time_zone,
            starts_at: plan.starts_at,
            duration_minutes: plan.duration_minutes,
            agenda: plan.agenda,
            video_link: self
                .settings()
                .video_link_template
                .expand(&p.reference, &id.to_string()),
            sequence: 0,
            organiser: caller.user.id,
            organiser_name: caller.user.display_name.clone(),
            created_at: now,
            updated_at: now,
            cancelled_at: None,
            minutes: None,
            minutes_at: None,
        };
        let event = self
            .write_meeting(caller, &loaded, &stored, None, MeetingChange::Scheduled)
            .await?;
        Ok((id, event))
    }

    /// Moves a meeting or changes its agenda; everyone gets the update
    /// (same UID, next SEQUENCE).
    pub async fn change_meeting(
        &self,
        caller: &Caller,
        reference: &str,
        meeting: &str,
        form: &MeetingForm,
    ) -> Result<PanelEvent, AppError> {
        let (loaded, before) = self.meeting_to_change(caller, reference, meeting).await?;
        let now = self.now();
        let plan = MeetingPlan::parse(form, now).map_err(|p| invalid(&p))?;
        let changed = StoredMeeting {
            local_start: plan.local_start,
            time_zone: plan.time_zone,
            starts_at: plan.starts_at,
            duration_minutes: plan.duration_minutes,
            agenda: plan.agenda,
            sequence: before.sequence + 1,
            updated_at: now,
            ..before.clone()
        };
        self.write_meeting(
            caller,
            &loaded,
            &changed,
            Some(before.sequence),
            MeetingChange::Changed,
        )
        .await
    }

    /// Calls a meeting off; everyone gets the cancellation (METHOD:CANCEL).
    pub async fn cancel_meeting(
        &self,
        caller: &Caller,
        reference: &str,
        meeting: &str,
    ) -> Result<PanelEvent, AppError> {
        let (loaded, before) = self.meeting_to_change(caller, reference, meeting).await?;
        let now = self.now();
        let cancelled = StoredMeeting {
            sequence: before.sequence + 1,
            updated_at: now,
            cancelled_at: Some(now),
            ..before.clone()
        };
        self.write_meeting(
            caller,
            &loaded,
            &cancelled,
            Some(before.sequence),
            MeetingChange::Cancelled,
        )
        .await
    }

    /// Keeps the minutes of a meeting, for the members to read.
    pub async fn meeting_minutes(
        &self,
        caller: &Caller,
        reference: &str,
        meeting: &str,
        minutes: &str,
    ) -> Result<(), AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.panel_may(caller, &loaded, Activity::ScheduleMeeting)
            .await?;
        let found = self.find_meeting(&loaded, meeting).await?;
        let minutes = meeting::minutes(minutes).map_err(|e| invalid(&[e]))?;
        let now = self.now();
        let mut tx = self.store().write().await?;
        meetings::set_minutes(
            &mut tx,
            loaded.panel.id,
            found.id,
            &minutes,
            caller.user.id,
            now,
        )
        .await?;
        let detail = format!("meeting:{} minutes", found.id);
        audit::append(
            &mut tx,
            panel_event(caller, "panel.meeting_minutes", &loaded.panel, Some(detail)),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One meeting of a panel the caller may see, for its page.
    pub async fn panel_meeting(
        &self,
        caller: &Caller,
        reference: &str,
        meeting: &str,
    ) -> Result<StoredMeeting, AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.panel_may(caller, &loaded, Activity::View).await?;
        self.find_meeting(&loaded, meeting).await
    }

    async fn find_meeting(
        &self,
        loaded: &Loaded,
        meeting: &str,
    ) -> Result<StoredMeeting, AppError> {
        let missing = || AppError::not_found("That meeting");
        let id: MeetingId = meeting.trim().parse().map_err(|_| missing())?;
        let mut conn = self.store().read().await?;
        meetings::get(&mut conn, loaded.panel.id, id)
            .await?
            .ok_or_else(missing)
    }

    async fn meeting_to_change(
        &self,
        caller: &Caller,
        reference: &str,
        meeting: &str,
    ) -> Result<(Loaded, StoredMeeting), AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.panel_may(caller, &loaded, Activity::ScheduleMeeting)
            .await?;
        let found = self.find_meeting(&loaded, meeting).await?;
        if found.cancelled_at.is_some() {
            return Err(AppError::invalid(
                "This meeting was cancelled; schedule a new one.",
            ));
        }
        Ok((loaded, found))
    }

    /// Stores the meeting (new when `expected` is `None`, else guarded by
    /// the sequence it was read at), queues one message per attendee and
    /// audits, in one transaction.
    async fn write_meeting(
        &self,
        caller: &Caller,
        loaded: &Loaded,
        meeting: &StoredMeeting,
        expected: Option<i64>,
        change: MeetingChange,
    ) -> Result<PanelEvent, AppError> {
        let p = &loaded.panel;
        let mut conn = self.store().read().await?;
        let members = repo::members(&mut conn, p.id).await?;
        // Everyone on the panel: the lead first, then the others.
        let mut attendees = participants(p, &members, p.lead);
        attendees.insert(0, p.lead);
        let people = panel_people::people(&mut conn, &p.ern, &attendees).await?;
        let organiser = panel_people::people(&mut conn, &p.ern, &[caller.user.id])
            .await?
            .pop()
            .ok_or_else(|| AppError::internal("the organiser's account is missing"))?;
        drop(conn);
        let now = self.now();
        let notice = MeetingNotice {
            reference: &p.reference,
            urgent: p.urgency == cpms_domain::panel::Urgency::Urgent,
            change,
            meeting,
            organiser: &organiser,
            attendees: &people,
        };
        let mails = meeting_mails(&notice, self.settings(), now)?;
        let mut tx = self.store().write().await?;
        match expected {
            None => meetings::insert(&mut tx, meeting).await?,
            Some(sequence) => {
                if !meetings::update(&mut tx, meeting, sequence).await? {
                    return Err(changed_meanwhile());
                }
            }
        }
        for mail in &mails {
            outbox::enqueue(&mut tx, mail, now).await?;
        }
        let action = match change {
            MeetingChange::Scheduled => "panel.meeting_scheduled",
            MeetingChange::Changed => "panel.meeting_changed",
            MeetingChange::Cancelled => "panel.meeting_cancelled",
        };
        let detail = format!(
            "meeting:{} sequence {} starts {}",
            meeting.id, meeting.sequence, meeting.starts_at
        );
        audit::append(&mut tx, panel_event(caller, action, p, Some(detail)), now).await?;
        let told: Vec<UserId> = people
            .iter()
            .map(|person: &Person| person.user)
            .filter(|u| *u != caller.works_for())
            .collect();
        let event = loaded.event(PanelEventKind::Meeting(change), Recipients::Users(told));
        self.tell(&mut tx, p, &event).await?;
        tx.commit().await?;
        Ok(event)
    }
}
