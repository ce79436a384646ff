//! Guests invited to a panel by e-mail. The lead (or a panel manager or
//! the network's staff) gives a name and an address; a person without an
//! account gets a single-use link (only its hash is kept, valid 14 days)
//! to a short guest sign-up scoped to the panel, which reuses the sign-up
//! checks and account creation. Completing it approves a guest membership
//! of the panel's network by virtue of the invitation (audited with the
//! inviter), puts the guest on the panel as invited and signs them in at
//! the second-factor enrolment step. Someone who already has an account is
//! invited on the panel at once and told by mail to sign in.

use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::ids::GuestInvitationId;
use cpms_domain::onboarding::guest_expiry;
use cpms_domain::org::{Country, MembershipStatus};
use cpms_domain::panel::{Activity, PanelRole};
use cpms_domain::session::SessionStage;
use cpms_store::repo::panel_guests::{self, GuestInvitation};
use cpms_store::repo::panels::{self as repo, StoredPanel};
use cpms_store::repo::{access_requests, audit, outbox, reference, users};
use jiff::{SignedDuration, Timestamp};

use super::access::panel_event;
use super::event::{PanelEvent, PanelEventKind, Recipients};
use super::guest_mail::{self, About};
use crate::auth::{SessionToken, token_hash};
use crate::onboarding::{SignUpDraft, SignUpStep, checked_email, create_account};
use crate::{App, AppError, Caller, ClientInfo};

/// How long an invitation link works.
const VALIDITY: SignedDuration = SignedDuration::from_hours(14 * 24);

/// What inviting a guest did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuestInvited {
    /// A sign-up link went to the address.
    Mailed,
    /// The address belongs to an account: its holder is invited on the
    /// panel and was asked by mail to sign in.
    SignInAsked,
}

/// The guest sign-up page of an invitation.
#[derive(Debug, Clone)]
pub struct GuestInvitationView {
    pub name: String,
    pub email: String,
    pub reference: String,
    pub network: String,
    pub inviter: String,
    pub expires_at: Timestamp,
    pub countries: Vec<Country>,
    pub professions: Vec<(String, String)>,
}

/// The guest sign-up form as typed.
#[derive(Debug, Clone, Default)]
pub struct GuestSignUpForm {
    pub display_name: String,
    pub username: String,
    pub hospital: String,
    pub country: String,
    pub profession: String,
    /// What they can give expert advice on (the expert profile needs it).
    pub specialist_in: String,
}

/// A guest who signed up: their session (at the enrolment step) and the
/// panel to go to once enrolled.
#[derive(Debug)]
pub struct GuestJoined {
    pub token: SessionToken,
    pub reference: String,
}

impl App {
    /// Invites `name` at `email` to the panel as a guest.
    pub async fn invite_guest(
        &self,
        caller: &Caller,
        reference: &str,
        name: &str,
        email: &str,
    ) -> Result<(GuestInvited, Vec<PanelEvent>), AppError> {
        let loaded = self.load_panel(caller, reference).await?;
        self.panel_may(caller, &loaded, Activity::Invite).await?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(AppError::invalid(
                "Name: give the guest's name as they should be greeted.",
            ));
        }
        let email = checked_email(email)
            .map_err(|_| AppError::invalid("E-mail: give the guest's e-mail address."))?;
        let panel = &loaded.panel;
        let mut conn = self.store().read().await?;
        let existing = users::find_by_email(&mut conn, email).await?;
        let network = self.network_name(&mut conn, panel).await?;
        drop(conn);
        let about = About {
            guest: name,
            email,
            inviter: &caller.user.display_name,
            reference: &panel.reference,
            network: &network,
        };
        let now = self.now();
        let base = self.settings().origin.trim_end_matches('/').to_owned();
        if let Some(user) = existing {
            let invited = self.new_invitees(panel, &[user.id]).await?;
            if invited.is_empty() {
                return Err(AppError::invalid(format!(
                    "{} ({email}) is already on this panel.",
                    user.display_name
                )));
            }
            let mut tx = self.store().write().await?;
            self.write_invitations(&mut tx, caller, panel, &invited, now)
                .await?;
            let link = format!("{base}/panels/{}", panel.reference);
            outbox::enqueue(&mut tx, &guest_mail::sign_in_invitation(&about, &link), now).await?;
            // Told in the centre like any invitee; the mail above already
            // asked them to sign in.
            let event = loaded.event(PanelEventKind::Invited, Recipients::Users(invited));
            self.tell(&mut tx, panel, &event).await?;
            tx.commit().await?;
            return Ok((GuestInvited::SignInAsked, vec![event]));
        }
        let token = SessionToken::generate();
        let invitation = GuestInvitation {
            id: GuestInvitationId::new(),
            panel: panel.id,
            name: name.to_owned(),
            email: email.to_owned(),
            invited_by: caller.user.id,
            invited_at: now,
            expires_at: now.saturating_add(VALIDITY).unwrap_or(now),
            used_at: None,
            used_by: None,
        };
        let link = format!("{base}/guest-invitations/{}", token.as_str());
        let mut tx = self.store().write().await?;
        panel_guests::insert(&mut tx, &token_hash(&token), &invitation).await?;
        outbox::enqueue(
            &mut tx,
            &guest_mail::guest_invitation(&about, &link, invitation.expires_at),
            now,
        )
        .await?;
        let detail = format!("guest-invitation:{} to {email}", invitation.id);
        audit::append(
            &mut tx,
            panel_event(caller, "panel.invite_guest", panel, Some(detail)),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok((GuestInvited::Mailed, Vec::new()))
    }

    /// The sign-up page of an invitation link, if the link can be used.
    pub async fn guest_invitation(&self, token: &str) -> Result<GuestInvitationView, AppError> {
        let mut conn = self.store().read().await?;
        let (invitation, panel) = self.usable_invitation(&mut conn, token).await?;
        let network = self.network_name(&mut conn, &panel).await?;
        let inviter = users::get(&mut conn, invitation.invited_by)
            .await?
            .map(|u| u.display_name)
            .unwrap_or_default();
        Ok(GuestInvitationView {
            name: invitation.name,
            email: invitation.email,
            reference: panel.reference,
            network,
            inviter,
            expires_at: invitation.expires_at,
            countries: reference::list_countries(&mut conn).await?,
            professions: reference::list_professions(&mut conn).await?,
        })
    }

    /// Creates the guest's account from an invitation link, approves their
    /// guest membership of the panel's network, puts them on the panel as
    /// invited and signs them in at the enrolment step, in one
    /// transaction; the link is used up.
    pub async fn join_as_guest(
        &self,
        token: &str,
        form: &GuestSignUpForm,
        password: &str,
        client: ClientInfo,
    ) -> Result<GuestJoined, AppError> {
        let mut conn = self.store().read().await?;
        let (invitation, panel) = self.usable_invitation(&mut conn, token).await?;
        drop(conn);
        let draft = SignUpDraft {
            display_name: form.display_name.clone(),
            email: invitation.email.clone(),
            username: form.username.clone(),
            category: "clinician".into(),
            member: "no".into(),
            guest_hospital: form.hospital.clone(),
            working_country: form.country.clone(),
            inviting_ern: panel.ern.to_string(),
            cares_for: "both".into(),
            profession: form.profession.clone(),
            specialist_in: form.specialist_in.clone(),
            ..SignUpDraft::default()
        };
        let resolved = self.resolve_draft(&draft, SignUpStep::Overview).await?;
        let hash = self.hash_chosen_password(password).await?;
        let now = self.now();
        let mut tx = self.store().write().await?;
        let (user, memberships) = create_account(&mut tx, &draft, &resolved, &hash, now).await?;
        if !panel_guests::mark_used(&mut tx, invitation.id, user.id, now).await? {
            return Err(used());
        }
        let by_invitation = format!(
            "by invitation of user:{} to panel {} (guest-invitation:{})",
            invitation.invited_by, panel.reference, invitation.id
        );
        let signed_up = NewEvent::new(
            "account.sign_up",
            format!("user:{}", user.id),
            Outcome::Success,
        )
        .by(user.id)
        .from_addr(client.addr.clone())
        .detail(format!("guest {by_invitation}"));
        audit::append(&mut tx, signed_up, now).await?;
        let until = guest_expiry(None, now, self.settings().guest_period);
        for m in &memberships {
            access_requests::decide(
                &mut tx,
                m.id,
                MembershipStatus::Approved,
                invitation.invited_by,
                None,
                Some(until),
                now,
            )
            .await?;
            let target = format!("membership:{}", m.id);
            let decided = NewEvent::new("access.request_decided", target.clone(), Outcome::Success)
                .detail(format!("approved {by_invitation}"));
            audit::append(&mut tx, decided, now).await?;
            let granted =
                NewEvent::new("access.role_granted", target, Outcome::Success).detail(format!(
                    "{} at {} in {} for user:{} until {} {by_invitation}",
                    m.role.as_str(),
                    m.hcp_code,
                    m.ern,
                    user.id,
                    until.strftime("%Y-%m-%d")
                ));
            audit::append(&mut tx, granted, now).await?;
        }
        repo::put_member(
            &mut tx,
            panel.id,
            user.id,
            PanelRole::Invited,
            invitation.invited_by,
            now,
        )
        .await?;
        let joined = NewEvent::new(
            "panel.invite",
            format!("panel:{}", panel.id),
            Outcome::Success,
        )
        .by(invitation.invited_by)
        .detail(format!(
            "{} user:{} signed up as a guest (guest-invitation:{})",
            panel.reference, user.id, invitation.id
        ));
        audit::append(&mut tx, joined, now).await?;
        let token = self
            .open_session(&mut tx, user.id, &client, SessionStage::Enrolment)
            .await?;
        let first_factor = NewEvent::new(
            "auth.first_factor",
            format!("user:{}", user.id),
            Outcome::Success,
        )
        .by(user.id)
        .from_addr(client.addr)
        .detail("password chosen at guest sign-up; second factor to be enrolled");
        audit::append(&mut tx, first_factor, now).await?;
        tx.commit().await?;
        Ok(GuestJoined {
            token,
            reference: panel.reference,
        })
    }

    /// The invitation behind a link and its panel, if the link is still
    /// good: unknown (mistyped or altered), used and expired links each
    /// say so.
    async fn usable_invitation(
        &self,
        conn: &mut cpms_store::Conn,
        token: &str,
    ) -> Result<(GuestInvitation, StoredPanel), AppError> {
        let hash = token_hash(&SessionToken::from_cookie(token.trim()));
        let invitation = panel_guests::by_token(conn, &hash).await?.ok_or_else(|| {
            AppError::not_found(
                "This invitation link is not valid: check that the whole link from the e-mail \
                 was used. An invitation",
            )
        })?;
        if invitation.used_at.is_some() {
            return Err(used());
        }
        if invitation.expires_at <= self.now() {
            return Err(AppError::invalid(format!(
                "This invitation expired on {}. Ask the panel's lead to invite you again.",
                invitation.expires_at.strftime("%Y-%m-%d")
            )));
        }
        let panel = repo::get(conn, invitation.panel)
            .await?
            .ok_or_else(|| AppError::internal("an invitation's panel is missing"))?;
        if !panel.state.is_active() {
            return Err(AppError::invalid(format!(
                "Panel {} is {}: it no longer takes new members.",
                panel.reference,
                panel.state.label().to_lowercase()
            )));
        }
        Ok((invitation, panel))
    }

    /// "ERN BOND (Bone Disorders)" for messages.
    async fn network_name(
        &self,
        conn: &mut cpms_store::Conn,
        panel: &StoredPanel,
    ) -> Result<String, AppError> {
        Ok(reference::get_ern(conn, &panel.ern)
            .await?
            .map_or_else(|| panel.ern.to_string(), |e| e.full_name))
    }
}

fn used() -> AppError {
    AppError::invalid(
        "This invitation was already used to create an account. Sign in with that account \
         to reach the panel.",
    )
}
