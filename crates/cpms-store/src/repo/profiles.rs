//! Expert profiles and the expert directory's candidates.

use cpms_domain::ids::{ThematicAreaId, UserId};
use cpms_domain::onboarding::{CaresFor, Category, ExpertProfile};
use cpms_domain::org::{CountryCode, ErnCode, HcpCode};
use jiff::Timestamp;
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::StoreError;
use crate::codec::{Reader, ts};

/// Creates or replaces the user's profile and its thematic areas.
pub async fn save(
    conn: &mut AnyConnection,
    p: &ExpertProfile,
    now: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO expert_profiles (user_id, category, cares_for, profession, specialist_in, \
         guest_hospital, working_country, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (user_id) DO UPDATE SET category = $2, cares_for = $3, profession = $4, \
         specialist_in = $5, guest_hospital = $6, working_country = $7, updated_at = $8",
    )
    .bind(p.user.to_string())
    .bind(p.category.as_str())
    .bind(p.cares_for.as_str())
    .bind(&p.profession)
    .bind(p.specialist_in.trim())
    .bind(p.guest_hospital.as_deref())
    .bind(p.working_country.map(|c| c.as_str().to_owned()))
    .bind(ts(now))
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM expert_profile_areas WHERE user_id = $1")
        .bind(p.user.to_string())
        .execute(&mut *conn)
        .await?;
    for area in &p.areas {
        sqlx::query("INSERT INTO expert_profile_areas (user_id, area_id) VALUES ($1, $2)")
            .bind(p.user.to_string())
            .bind(area.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn get(
    conn: &mut AnyConnection,
    user: UserId,
) -> Result<Option<ExpertProfile>, StoreError> {
    let row = sqlx::query(
        "SELECT category, cares_for, profession, specialist_in, guest_hospital, working_country \
         FROM expert_profiles WHERE user_id = $1",
    )
    .bind(user.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let r = Reader::new(&row, "expert_profiles");
    let working_country = r
        .opt_text("working_country")?
        .map(|c| CountryCode::parse(&c))
        .transpose()
        .map_err(|e| StoreError::corrupt("expert_profiles", "working_country", e))?;
    let mut profile = ExpertProfile {
        user,
        category: r.with("category", Category::parse)?,
        cares_for: r.with("cares_for", CaresFor::parse)?,
        profession: r.text("profession")?,
        specialist_in: r.text("specialist_in")?,
        areas: Vec::new(),
        guest_hospital: r.opt_text("guest_hospital")?,
        working_country,
    };
    let areas = sqlx::query("SELECT area_id FROM expert_profile_areas WHERE user_id = $1")
        .bind(user.to_string())
        .fetch_all(conn)
        .await?;
    for row in &areas {
        profile
            .areas
            .push(Reader::new(row, "expert_profile_areas").parsed::<ThematicAreaId>("area_id")?);
    }
    Ok(Some(profile))
}

/// One approved membership of a user with a profile: a directory
/// candidate row (users with several memberships give several rows).
#[derive(Debug, Clone)]
pub struct ExpertRow {
    pub user: UserId,
    pub name: String,
    pub profession: String,
    pub cares_for: CaresFor,
    pub specialist_in: String,
    pub ern: ErnCode,
    pub hcp_code: HcpCode,
    pub hcp_name: String,
    pub country: Option<String>,
    pub expires_at: Option<Timestamp>,
    /// Names of the user's thematic areas and sub-areas.
    pub areas: Vec<String>,
}

/// What the directory narrows by before ranking.
#[derive(Debug, Clone, Default)]
pub struct ExpertFilter {
    pub ern: Option<ErnCode>,
    pub area: Option<ThematicAreaId>,
    pub profession: Option<String>,
    pub country: Option<String>,
}

/// Approved memberships of users with a profile, matching `filter`.
pub async fn candidates(
    conn: &mut AnyConnection,
    filter: &ExpertFilter,
) -> Result<Vec<ExpertRow>, StoreError> {
    let mut sql = String::from(
        "SELECT u.id, u.display_name, pr.name AS profession, p.cares_for, p.specialist_in, m.ern, \
         h.code AS hcp_code, h.name AS hcp_name, COALESCE(h.country, p.working_country) AS country, \
         m.expires_at \
         FROM expert_profiles p JOIN users u ON u.id = p.user_id \
         JOIN professions pr ON pr.code = p.profession \
         JOIN memberships m ON m.user_id = u.id AND m.status = 'approved' \
         JOIN hcps h ON h.id = m.hcp_id WHERE u.status = 'active'",
    );
    let mut binds: Vec<String> = Vec::new();
    let mut add = |condition: &str, value: String| {
        binds.push(value);
        sql.push_str(&condition.replace("$n", &format!("${}", binds.len())));
    };
    if let Some(ern) = &filter.ern {
        add(" AND m.ern = $n", ern.as_str().to_owned());
    }
    if let Some(area) = filter.area {
        add(
            " AND EXISTS (SELECT 1 FROM expert_profile_areas a JOIN thematic_areas t ON t.id = a.area_id \
             WHERE a.user_id = u.id AND (t.id = $n OR t.parent_id = $n))",
            area.to_string(),
        );
    }
    if let Some(profession) = &filter.profession {
        add(" AND p.profession = $n", profession.clone());
    }
    if let Some(country) = &filter.country {
        add(
            " AND COALESCE(h.country, p.working_country) = $n",
            country.clone(),
        );
    }
    sql.push_str(" ORDER BY u.display_name, u.id, m.ern");
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for value in binds {
        query = query.bind(value);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let mut experts = rows
        .iter()
        .map(|row| {
            let r = Reader::new(row, "expert_profiles");
            Ok(ExpertRow {
                user: r.parsed("id")?,
                name: r.text("display_name")?,
                profession: r.text("profession")?,
                cares_for: r.with("cares_for", CaresFor::parse)?,
                specialist_in: r.text("specialist_in")?,
                ern: r.with("ern", ErnCode::parse)?,
                hcp_code: r.with("hcp_code", HcpCode::parse)?,
                hcp_name: r.text("hcp_name")?,
                country: r.opt_text("country")?,
                expires_at: r.opt_parsed("expires_at")?,
                areas: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    with_area_names(conn, &mut experts).await?;
    Ok(experts)
}

/// Fills in the area names of each row with one query.
async fn with_area_names(
    conn: &mut AnyConnection,
    experts: &mut [ExpertRow],
) -> Result<(), StoreError> {
    let mut users: Vec<String> = experts.iter().map(|e| e.user.to_string()).collect();
    users.sort();
    users.dedup();
    if users.is_empty() {
        return Ok(());
    }
    let placeholders: Vec<String> = (1..=users.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT a.user_id, t.name FROM expert_profile_areas a JOIN thematic_areas t ON t.id = a.area_id \
         WHERE a.user_id IN ({}) ORDER BY t.name",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for user in users {
        query = query.bind(user);
    }
    for row in query.fetch_all(conn).await? {
        let r = Reader::new(&row, "expert_profile_areas");
        let user: UserId = r.parsed("user_id")?;
        let name = r.text("name")?;
        for expert in experts.iter_mut().filter(|e| e.user == user) {
            expert.areas.push(name.clone());
        }
    }
    Ok(())
}
