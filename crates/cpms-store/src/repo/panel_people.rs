//! The people of a panel as its documents and invitations name them: name,
//! address, profession, hospital and country.

use cpms_domain::ids::UserId;
use cpms_domain::org::ErnCode;
use sqlx::AnyConnection;

use crate::StoreError;
use crate::codec::Reader;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub user: UserId,
    pub name: String,
    pub email: String,
    /// From the expert profile, when there is one.
    pub profession: Option<String>,
    /// The role of the membership the hospital comes from (`hp`, …).
    pub role: Option<String>,
    /// For guests, the hospital they named at sign-up.
    pub hospital: Option<String>,
    /// For guests, the country they work in.
    pub country: Option<String>,
    /// Attached through a `0000 Guest Access` entry, not a member hospital.
    pub guest: bool,
}

/// Each user of `users` that exists, in that order. Hospital and country
/// come from an approved membership, preferring one in `ern` (a person may
/// work for several networks); guests, whose membership is at their
/// country's `0000 Guest Access` entry, name their own hospital and
/// working country.
pub async fn people(
    conn: &mut AnyConnection,
    ern: &ErnCode,
    users: &[UserId],
) -> Result<Vec<Person>, StoreError> {
    let mut people = Vec::with_capacity(users.len());
    for user in users {
        let row = sqlx::query(
            "SELECT u.id, u.display_name, u.email, pr.name AS profession, m.role, \
             CAST(CASE WHEN h.kind = 'guest_access' THEN 1 ELSE 0 END AS BIGINT) AS guest, \
             CASE WHEN h.kind = 'guest_access' THEN COALESCE(p.guest_hospital, h.name) \
                  ELSE COALESCE(h.name, p.guest_hospital) END AS hospital, \
             CASE WHEN h.kind = 'guest_access' THEN COALESCE(p.working_country, h.country) \
                  ELSE COALESCE(h.country, p.working_country) END AS country \
             FROM users u \
             LEFT JOIN expert_profiles p ON p.user_id = u.id \
             LEFT JOIN professions pr ON pr.code = p.profession \
             LEFT JOIN memberships m ON m.user_id = u.id AND m.status = 'approved' \
             LEFT JOIN hcps h ON h.id = m.hcp_id \
             WHERE u.id = $1 \
             ORDER BY CASE WHEN m.ern = $2 THEN 0 ELSE 1 END, m.id LIMIT 1",
        )
        .bind(user.to_string())
        .bind(ern.as_str().to_owned())
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(row) = row {
            let r = Reader::new(&row, "users");
            people.push(Person {
                user: r.parsed("id")?,
                name: r.text("display_name")?,
                email: r.text("email")?,
                profession: r.opt_text("profession")?,
                role: r.opt_text("role")?,
                hospital: r.opt_text("hospital")?,
                country: r.opt_text("country")?,
                guest: r.flag("guest")?,
            });
        }
    }
    Ok(people)
}
