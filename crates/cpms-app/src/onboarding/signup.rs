//! The three sign-up pages: who you are and where you work, your clinical
//! focus, and an overview to submit. The pages carry a draft; each step
//! checks its part, and submitting creates the account, the expert profile
//! and one access request per network.

use cpms_auth::password::PasswordPolicy;
use cpms_domain::audit::{NewEvent, Outcome};
use cpms_domain::ids::{MembershipId, ThematicAreaId, UserId};
use cpms_domain::onboarding::{AccessRequest, CaresFor, Category, ExpertProfile};
use cpms_domain::org::{
    Country, CountryCode, Ern, ErnCode, Hcp, HcpCode, Membership, MembershipStatus, Role,
    ThematicArea,
};
use cpms_domain::user::{AccountStatus, User, parse_username};
use cpms_store::repo::{access_requests, audit, profiles, reference, users};
use serde::Deserialize;

use cpms_store::WriteTx;

use crate::{App, AppError, ClientInfo};

/// What the sign-up pages have collected so far (all text, as typed).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SignUpDraft {
    pub display_name: String,
    pub email: String,
    pub username: String,
    /// `clinician` or `assistant`.
    pub category: String,
    /// `yes` (works at a member hospital) or `no` (guest).
    pub member: String,
    /// A hospital code, or "CODE · name" as the searchable list offers it.
    pub hospital: String,
    pub erns: Vec<String>,
    pub guest_hospital: String,
    pub working_country: String,
    pub inviting_ern: String,
    pub cares_for: String,
    pub profession: String,
    pub areas: Vec<String>,
    pub specialist_in: String,
}

impl SignUpDraft {
    pub fn is_member(&self) -> bool {
        self.member == "yes"
    }

    /// The hospital code at the start of the hospital field.
    pub fn hospital_code(&self) -> &str {
        self.hospital.split_whitespace().next().unwrap_or_default()
    }

    /// The networks the request goes to.
    fn networks(&self) -> Vec<&str> {
        if self.is_member() {
            self.erns.iter().map(String::as_str).collect()
        } else {
            vec![self.inviting_ern.as_str()]
        }
    }
}

/// The pages of the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignUpStep {
    /// Role category, membership, hospital and networks, account details.
    About,
    /// Cares for, profession, thematic areas, focus text.
    Focus,
    /// Everything, with Edit and Submit.
    Overview,
}

/// The lists the pages offer.
#[derive(Debug, Clone)]
pub struct SignUpChoices {
    pub hospitals: Vec<Hcp>,
    pub countries: Vec<Country>,
    pub erns: Vec<Ern>,
    /// The networks of the chosen hospital (empty until one is chosen).
    pub hospital_erns: Vec<ErnCode>,
    pub professions: Vec<(String, String)>,
    /// The thematic areas of the chosen networks.
    pub areas: Vec<ThematicArea>,
}

impl App {
    pub async fn sign_up_choices(&self, draft: &SignUpDraft) -> Result<SignUpChoices, AppError> {
        let mut conn = self.store().read().await?;
        let hospitals = reference::list_hospitals(&mut conn).await?;
        let hospital_erns = hospitals
            .iter()
            .find(|h| h.code.as_str() == draft.hospital_code())
            .map(|h| h.erns.clone())
            .unwrap_or_default();
        let mut areas = Vec::new();
        for ern in draft.networks() {
            if let Ok(ern) = ErnCode::parse(ern) {
                areas.extend(reference::areas_of_ern(&mut conn, &ern).await?);
            }
        }
        Ok(SignUpChoices {
            countries: reference::list_countries(&mut conn).await?,
            erns: reference::list_erns(&mut conn).await?,
            professions: reference::list_professions(&mut conn).await?,
            hospitals,
            hospital_erns,
            areas,
        })
    }

    /// Checks the pages up to and including `step`; the error names the
    /// first field to correct.
    pub async fn check_sign_up(
        &self,
        draft: &SignUpDraft,
        step: SignUpStep,
    ) -> Result<(), AppError> {
        self.resolve_draft(draft, step).await.map(|_| ())
    }

    /// Creates the account (active, without any approved role), the expert
    /// profile and the access requests, and audits the sign-up.
    pub async fn sign_up(
        &self,
        draft: &SignUpDraft,
        password: &str,
        client: ClientInfo,
    ) -> Result<Vec<AccessRequest>, AppError> {
        let resolved = self.resolve_draft(draft, SignUpStep::Overview).await?;
        let hash = self.hash_chosen_password(password).await?;
        let now = self.now();
        let mut tx = self.store().write().await?;
        let (user, memberships) = create_account(&mut tx, draft, &resolved, &hash, now).await?;
        let mut requests = Vec::new();
        for membership in &memberships {
            requests.extend(access_requests::get(&mut tx, membership.id).await?);
        }
        let event = NewEvent::new(
            "account.sign_up",
            format!("user:{}", user.id),
            Outcome::Success,
        )
        .by(user.id)
        .from_addr(client.addr)
        .detail(format!(
            "{} request(s) as {}",
            requests.len(),
            resolved.role.as_str()
        ));
        audit::append(&mut tx, event, now).await?;
        tx.commit().await?;
        Ok(requests)
    }

    pub(crate) async fn hash_chosen_password(&self, password: &str) -> Result<String, AppError> {
        let accepted = PasswordPolicy::default()
            .check(password)
            .map_err(|e| AppError::invalid(format!("Password: {e}.")))?;
        let app = self.clone();
        tokio::task::spawn_blocking(move || app.passwords().hash(&accepted))
            .await
            .map_err(AppError::internal)?
            .map_err(AppError::internal)
    }

    pub(crate) async fn resolve_draft(
        &self,
        draft: &SignUpDraft,
        step: SignUpStep,
    ) -> Result<Resolved, AppError> {
        let mut conn = self.store().read().await?;
        let username = parse_username(&draft.username)
            .map_err(|e| AppError::invalid(format!("User name: {}.", e.message)))?;
        if users::find_by_username(&mut conn, &username)
            .await?
            .is_some()
        {
            return Err(taken(&username));
        }
        if draft.display_name.trim().is_empty() || draft.display_name.chars().count() > 200 {
            return Err(AppError::invalid(
                "Name: give your name as colleagues know it.",
            ));
        }
        checked_email(&draft.email).map_err(|_| {
            AppError::invalid("E-mail: give the address where we can tell you about your request.")
        })?;
        let category = Category::parse(&draft.category)
            .map_err(|e| AppError::invalid(format!("Role: {}.", e.message)))?;
        let (memberships, guest_hospital, working_country) = if draft.is_member() {
            (self.member_networks(&mut conn, draft).await?, None, None)
        } else if draft.member == "no" {
            self.guest_network(&mut conn, draft).await?
        } else {
            return Err(AppError::invalid(
                "ERN member: say whether you work at a member hospital of an ERN.",
            ));
        };
        let role = match (draft.is_member(), category) {
            (false, _) => Role::GuestConsult,
            (true, Category::Clinician) => Role::Hp,
            (true, Category::Assistant) => Role::Assistant,
        };
        let mut profile = ExpertProfile {
            user: UserId::new(),
            category,
            cares_for: CaresFor::Both,
            profession: String::new(),
            specialist_in: String::new(),
            areas: Vec::new(),
            guest_hospital,
            working_country,
        };
        if step != SignUpStep::About {
            profile.cares_for = CaresFor::parse(&draft.cares_for)
                .map_err(|e| AppError::invalid(format!("Cares for: {}.", e.message)))?;
            let professions = reference::list_professions(&mut conn).await?;
            if !professions
                .iter()
                .any(|(code, _)| *code == draft.profession)
            {
                return Err(AppError::invalid("Profession: choose one from the list."));
            }
            profile.profession = draft.profession.clone();
            profile.specialist_in = draft.specialist_in.trim().to_owned();
            let mut allowed = Vec::new();
            for (ern, _) in &memberships {
                allowed.extend(reference::areas_of_ern(&mut conn, ern).await?);
            }
            for raw in &draft.areas {
                let id: ThematicAreaId = raw.parse().map_err(|_| {
                    AppError::invalid("Thematic areas: choose areas from the list.")
                })?;
                if !allowed.iter().any(|a| a.id == id) {
                    return Err(AppError::invalid(
                        "Thematic areas: choose areas of the networks you join.",
                    ));
                }
                profile.areas.push(id);
            }
            profile
                .validate()
                .map_err(|e| AppError::invalid(format!("Clinical focus: {}.", e.message)))?;
        }
        Ok(Resolved {
            username,
            role,
            profile,
            memberships,
        })
    }

    async fn member_networks(
        &self,
        conn: &mut cpms_store::Conn,
        draft: &SignUpDraft,
    ) -> Result<Vec<(ErnCode, Hcp)>, AppError> {
        let hospital = match HcpCode::parse(draft.hospital_code()) {
            Ok(code) => reference::get_hcp_by_code(conn, &code).await?,
            Err(_) => None,
        };
        let Some(hospital) = hospital.filter(|h| h.kind == cpms_domain::org::HcpKind::Hospital)
        else {
            return Err(AppError::invalid(
                "Hospital: choose your hospital from the list.",
            ));
        };
        if draft.erns.is_empty() {
            return Err(AppError::invalid(format!(
                "Networks: choose the ERNs you work in at {}.",
                hospital.name
            )));
        }
        let mut chosen = Vec::new();
        for raw in &draft.erns {
            let ern = ErnCode::parse(raw)
                .ok()
                .filter(|e| hospital.erns.contains(e))
                .ok_or_else(|| {
                    AppError::invalid(format!(
                        "Networks: {} is not a network of {}.",
                        raw.chars().take(30).collect::<String>(),
                        hospital.name
                    ))
                })?;
            chosen.push((ern, hospital.clone()));
        }
        Ok(chosen)
    }

    /// A guest joins the network that invited them, at the guest-access
    /// entry of the country they work in.
    async fn guest_network(
        &self,
        conn: &mut cpms_store::Conn,
        draft: &SignUpDraft,
    ) -> Result<(Vec<(ErnCode, Hcp)>, Option<String>, Option<CountryCode>), AppError> {
        let hospital = draft.guest_hospital.trim();
        if hospital.is_empty() || hospital.chars().count() > 200 {
            return Err(AppError::invalid(
                "Your hospital: give the name of the hospital you work at.",
            ));
        }
        let country = CountryCode::parse(&draft.working_country)
            .map_err(|_| AppError::invalid("Working country: choose the country you work in."))?;
        let entry = reference::get_hcp_by_code(conn, &HcpCode::guest_access(country))
            .await?
            .ok_or_else(|| AppError::invalid("Working country: choose the country you work in."))?;
        let ern = ErnCode::parse(&draft.inviting_ern)
            .ok()
            .filter(|e| entry.erns.contains(e))
            .ok_or_else(|| {
                AppError::invalid("Inviting ERN: choose the network that invited you.")
            })?;
        Ok((vec![(ern, entry)], Some(hospital.to_owned()), Some(country)))
    }
}

/// A sign-up that passed every check.
pub(crate) struct Resolved {
    username: String,
    pub role: Role,
    profile: ExpertProfile,
    memberships: Vec<(ErnCode, Hcp)>,
}

/// Writes the account, its expert profile and one access request per
/// network (each a membership in status `requested`).
pub(crate) async fn create_account(
    tx: &mut WriteTx,
    draft: &SignUpDraft,
    resolved: &Resolved,
    password_hash: &str,
    now: jiff::Timestamp,
) -> Result<(User, Vec<Membership>), AppError> {
    let user = User {
        id: UserId::new(),
        username: resolved.username.clone(),
        display_name: draft.display_name.trim().to_owned(),
        email: draft.email.trim().to_owned(),
        status: AccountStatus::Active,
        administrator: false,
        training: false,
    };
    users::insert(tx, &user, Some(password_hash), now)
        .await
        .map_err(|e| match e {
            cpms_store::StoreError::Duplicate { .. } => taken(&user.username),
            other => other.into(),
        })?;
    let profile = ExpertProfile {
        user: user.id,
        ..resolved.profile.clone()
    };
    profiles::save(tx, &profile, now).await?;
    let mut created = Vec::new();
    for (ern, hcp) in &resolved.memberships {
        let membership = Membership {
            id: MembershipId::new(),
            user: user.id,
            ern: ern.clone(),
            hcp: hcp.id,
            hcp_code: hcp.code.clone(),
            hcp_name: hcp.name.clone(),
            role: resolved.role,
            status: MembershipStatus::Requested,
            expires_at: None,
        };
        access_requests::insert(tx, &membership, None, now).await?;
        created.push(membership);
    }
    Ok((user, created))
}

/// An e-mail address as typed, trimmed, if it looks like one.
pub(crate) fn checked_email(raw: &str) -> Result<&str, ()> {
    let email = raw.trim();
    if !email.contains('@') || email.len() > 254 || email.chars().any(char::is_whitespace) {
        return Err(());
    }
    Ok(email)
}

fn taken(username: &str) -> AppError {
    AppError::invalid(format!("User name: '{username}' is taken; choose another."))
}
