//! ERNs, countries, healthcare providers, thematic areas and professions.
//! Seeding inserts only what is missing, so administrators' later edits stay.

use cpms_domain::ids::{HcpId, ThematicAreaId};
use cpms_domain::org::{
    Country, CountryCode, CountryUse, Ern, ErnCode, Hcp, HcpCode, HcpKind, ThematicArea,
};
use sqlx::Row;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::StoreError;
use crate::codec::{Reader, flag};

pub async fn insert_ern(conn: &mut AnyConnection, ern: &Ern) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO erns (code, label, full_name) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING")
        .bind(ern.code.as_str())
        .bind(&ern.label)
        .bind(&ern.full_name)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_country(conn: &mut AnyConnection, country: &Country) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO countries (code, name, usage) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING")
        .bind(country.code.as_str())
        .bind(&country.name)
        .bind(country.usage.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// What to insert for an HCP; its id is assigned here or kept if it exists.
pub struct NewHcp<'a> {
    pub code: &'a HcpCode,
    pub name: &'a str,
    pub city: &'a str,
    pub country: Option<CountryCode>,
    pub kind: HcpKind,
    pub synthetic: bool,
}

/// Inserts the HCP unless its code exists; returns its id either way.
pub async fn ensure_hcp(conn: &mut AnyConnection, hcp: &NewHcp<'_>) -> Result<HcpId, StoreError> {
    sqlx::query(
        "INSERT INTO hcps (id, code, name, city, country, kind, synthetic) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (code) DO NOTHING",
    )
    .bind(HcpId::new().to_string())
    .bind(hcp.code.as_str())
    .bind(hcp.name)
    .bind(hcp.city)
    .bind(hcp.country.map(|c| c.as_str().to_owned()))
    .bind(hcp.kind.as_str())
    .bind(flag(hcp.synthetic))
    .execute(&mut *conn)
    .await?;
    let row = sqlx::query("SELECT id FROM hcps WHERE code = $1")
        .bind(hcp.code.as_str())
        .fetch_one(conn)
        .await?;
    Reader::new(&row, "hcps").parsed("id")
}

pub async fn link_hcp_ern(
    conn: &mut AnyConnection,
    hcp: HcpId,
    ern: &ErnCode,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO hcp_erns (hcp_id, ern) VALUES ($1, $2) ON CONFLICT (hcp_id, ern) DO NOTHING",
    )
    .bind(hcp.to_string())
    .bind(ern.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

/// Inserts a thematic area (under `parent`, a top-level area's name) unless
/// it exists; returns its id.
pub async fn ensure_area(
    conn: &mut AnyConnection,
    ern: &ErnCode,
    parent: Option<&str>,
    name: &str,
) -> Result<ThematicAreaId, StoreError> {
    let parent_id = match parent {
        Some(parent) => Some(Box::pin(ensure_area(conn, ern, None, parent)).await?),
        None => None,
    };
    let parent_key = parent_id.map(|id| id.to_string()).unwrap_or_default();
    sqlx::query(
        "INSERT INTO thematic_areas (id, ern, parent_id, name, parent_key) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (ern, parent_key, name) DO NOTHING",
    )
    .bind(ThematicAreaId::new().to_string())
    .bind(ern.as_str())
    .bind(parent_id.map(|id| id.to_string()))
    .bind(name)
    .bind(&parent_key)
    .execute(&mut *conn)
    .await?;
    let row = sqlx::query(
        "SELECT id FROM thematic_areas WHERE ern = $1 AND parent_key = $2 AND name = $3",
    )
    .bind(ern.as_str())
    .bind(&parent_key)
    .bind(name)
    .fetch_one(conn)
    .await?;
    Reader::new(&row, "thematic_areas").parsed("id")
}

pub async fn insert_profession(
    conn: &mut AnyConnection,
    code: &str,
    name: &str,
    position: i64,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO professions (code, name, position) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING")
        .bind(code)
        .bind(name)
        .bind(position)
        .execute(conn)
        .await?;
    Ok(())
}

fn ern_from(row: &AnyRow) -> Result<Ern, StoreError> {
    let r = Reader::new(row, "erns");
    Ok(Ern {
        code: r.with("code", ErnCode::parse)?,
        label: r.text("label")?,
        full_name: r.text("full_name")?,
    })
}

pub async fn list_erns(conn: &mut AnyConnection) -> Result<Vec<Ern>, StoreError> {
    let rows = sqlx::query("SELECT code, label, full_name FROM erns ORDER BY LOWER(code)")
        .fetch_all(conn)
        .await?;
    rows.iter().map(ern_from).collect()
}

pub async fn get_ern(conn: &mut AnyConnection, code: &ErnCode) -> Result<Option<Ern>, StoreError> {
    let row = sqlx::query("SELECT code, label, full_name FROM erns WHERE code = $1")
        .bind(code.as_str())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(ern_from).transpose()
}

pub async fn list_countries(conn: &mut AnyConnection) -> Result<Vec<Country>, StoreError> {
    let rows = sqlx::query("SELECT code, name, usage FROM countries ORDER BY name")
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|row| {
            let r = Reader::new(row, "countries");
            Ok(Country {
                code: r.with("code", CountryCode::parse)?,
                name: r.text("name")?,
                usage: r.with("usage", CountryUse::parse)?,
            })
        })
        .collect()
}

const HCP_COLUMNS: &str = "h.id, h.code, h.name, h.city, h.country, h.kind, h.synthetic";

fn hcp_from(row: &AnyRow) -> Result<Hcp, StoreError> {
    let r = Reader::new(row, "hcps");
    let country = r
        .opt_text("country")?
        .map(|c| CountryCode::parse(&c))
        .transpose();
    Ok(Hcp {
        id: r.parsed("id")?,
        code: r.with("code", HcpCode::parse)?,
        name: r.text("name")?,
        city: r.text("city")?,
        country: country.map_err(|e| StoreError::corrupt("hcps", "country", e))?,
        kind: r.with("kind", HcpKind::parse)?,
        synthetic: r.flag("synthetic")?,
        erns: Vec::new(),
    })
}

/// Fills in the ERNs of each HCP with one query.
async fn with_erns(conn: &mut AnyConnection, mut hcps: Vec<Hcp>) -> Result<Vec<Hcp>, StoreError> {
    if hcps.is_empty() {
        return Ok(hcps);
    }
    let placeholders: Vec<String> = (1..=hcps.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT hcp_id, ern FROM hcp_erns WHERE hcp_id IN ({}) ORDER BY LOWER(ern)",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for hcp in &hcps {
        query = query.bind(hcp.id.to_string());
    }
    for row in query.fetch_all(conn).await? {
        let r = Reader::new(&row, "hcp_erns");
        let hcp_id: HcpId = r.parsed("hcp_id")?;
        let ern = r.with("ern", ErnCode::parse)?;
        if let Some(hcp) = hcps.iter_mut().find(|h| h.id == hcp_id) {
            hcp.erns.push(ern);
        }
    }
    Ok(hcps)
}

pub async fn get_hcp(conn: &mut AnyConnection, id: HcpId) -> Result<Option<Hcp>, StoreError> {
    let sql = format!("SELECT {HCP_COLUMNS} FROM hcps h WHERE h.id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    let Some(hcp) = row.as_ref().map(hcp_from).transpose()? else {
        return Ok(None);
    };
    Ok(with_erns(conn, vec![hcp]).await?.pop())
}

pub async fn get_hcp_by_code(
    conn: &mut AnyConnection,
    code: &HcpCode,
) -> Result<Option<Hcp>, StoreError> {
    let row = sqlx::query("SELECT id FROM hcps WHERE code = $1")
        .bind(code.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => get_hcp(conn, Reader::new(&row, "hcps").parsed("id")?).await,
        None => Ok(None),
    }
}

/// The hospitals of an ERN (not its guest-access or virtual-centre entries),
/// by country then name.
pub async fn hospitals_of_ern(
    conn: &mut AnyConnection,
    ern: &ErnCode,
) -> Result<Vec<Hcp>, StoreError> {
    let sql = format!(
        "SELECT {HCP_COLUMNS} FROM hcps h JOIN hcp_erns he ON he.hcp_id = h.id \
         WHERE he.ern = $1 AND h.kind = 'hospital' ORDER BY h.country, h.name"
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(ern.as_str())
        .fetch_all(&mut *conn)
        .await?;
    let hcps = rows.iter().map(hcp_from).collect::<Result<Vec<_>, _>>()?;
    with_erns(conn, hcps).await
}

/// Every member hospital (not guest-access or virtual-centre entries), by
/// code, with its ERNs: the sign-up page's searchable list.
pub async fn list_hospitals(conn: &mut AnyConnection) -> Result<Vec<Hcp>, StoreError> {
    let sql = format!("SELECT {HCP_COLUMNS} FROM hcps h WHERE h.kind = 'hospital' ORDER BY h.code");
    let rows = sqlx::query(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    let hcps = rows.iter().map(hcp_from).collect::<Result<Vec<_>, _>>()?;
    with_erns(conn, hcps).await
}

pub async fn areas_of_ern(
    conn: &mut AnyConnection,
    ern: &ErnCode,
) -> Result<Vec<ThematicArea>, StoreError> {
    let rows = sqlx::query("SELECT id, ern, parent_id, name FROM thematic_areas WHERE ern = $1 ORDER BY parent_key, name")
        .bind(ern.as_str())
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|row| {
            let r = Reader::new(row, "thematic_areas");
            Ok(ThematicArea {
                id: r.parsed("id")?,
                ern: r.with("ern", ErnCode::parse)?,
                parent: r.opt_parsed("parent_id")?,
                name: r.text("name")?,
            })
        })
        .collect()
}

pub async fn list_professions(
    conn: &mut AnyConnection,
) -> Result<Vec<(String, String)>, StoreError> {
    let rows = sqlx::query("SELECT code, name FROM professions ORDER BY position")
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|row| {
            let r = Reader::new(row, "professions");
            Ok((r.text("code")?, r.text("name")?))
        })
        .collect()
}

/// Row counts of the reference tables, for checks and the help page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferenceCounts {
    pub erns: i64,
    pub countries: i64,
    pub hcps: i64,
    pub thematic_areas: i64,
    pub professions: i64,
}

pub async fn counts(conn: &mut AnyConnection) -> Result<ReferenceCounts, StoreError> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM erns) AS erns, (SELECT COUNT(*) FROM countries) AS countries, \
         (SELECT COUNT(*) FROM hcps) AS hcps, (SELECT COUNT(*) FROM thematic_areas) AS areas, \
         (SELECT COUNT(*) FROM professions) AS professions",
    )
    .fetch_one(conn)
    .await?;
    Ok(ReferenceCounts {
        erns: row.try_get("erns")?,
        countries: row.try_get("countries")?,
        hcps: row.try_get("hcps")?,
        thematic_areas: row.try_get("areas")?,
        professions: row.try_get("professions")?,
    })
}

/// The fingerprint a named seed was last applied with.
pub async fn seed_fingerprint(
    conn: &mut AnyConnection,
    name: &str,
) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("SELECT fingerprint FROM seed_state WHERE name = $1")
        .bind(name)
        .fetch_optional(conn)
        .await?;
    row.map(|r| Reader::new(&r, "seed_state").text("fingerprint"))
        .transpose()
}

pub async fn set_seed_fingerprint(
    conn: &mut AnyConnection,
    name: &str,
    fingerprint: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO seed_state (name, fingerprint) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint",
    )
    .bind(name)
    .bind(fingerprint)
    .execute(conn)
    .await?;
    Ok(())
}
