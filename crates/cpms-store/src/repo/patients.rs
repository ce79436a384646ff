//! Patients and their record versions. Identifying data arrives here
//! already sealed: this layer never sees it in clear.

use cpms_domain::ids::{HcpId, PatientId, UserId};
use cpms_domain::org::{CountryCode, ErnCode};
use cpms_domain::patient::{Consents, PatientSearch, PatientStatus, Pseudonym, Sex, nickname_key};
use cpms_domain::record::{ClinicalRecord, RecordChange};
use jiff::Timestamp;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::StoreError;
use crate::codec::{Reader, ts};

/// A patient as stored: the domain fields, the sealed identity (`None`
/// once erased) and the number of the newest record version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPatient {
    pub id: PatientId,
    pub pseudonym: Pseudonym,
    pub nickname: Option<String>,
    pub sex: Sex,
    pub birth_year: i16,
    pub country: CountryCode,
    pub ern: ErnCode,
    pub hcp: HcpId,
    pub enrolled_by: UserId,
    pub enrolled_at: Timestamp,
    pub status: PatientStatus,
    pub identity_sealed: Option<String>,
    pub consents: Consents,
    pub current_version: i64,
}

/// One version of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordVersion {
    pub version: i64,
    pub at: Timestamp,
    pub author: UserId,
    pub on_behalf_of: Option<UserId>,
    pub description: String,
    pub change: RecordChange,
    pub content: ClinicalRecord,
}

/// Order of the patient list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatientOrder {
    NewestFirst,
    OldestFirst,
    Pseudonym,
    Nickname,
}

impl PatientOrder {
    /// Result columns only, so it also orders a `UNION ALL`.
    fn sql(self) -> &'static str {
        match self {
            Self::NewestFirst => "enrolled_at DESC, id DESC",
            Self::OldestFirst => "enrolled_at, id",
            Self::Pseudonym => "pseudonym",
            Self::Nickname => "nickname_key, pseudonym",
        }
    }
}

/// A page of one clinician's patients at one hospital.
#[derive(Debug, Clone)]
pub struct PatientQuery {
    pub hcp: HcpId,
    pub owner: UserId,
    /// Patients whose pseudonym or nickname begins with what was typed.
    pub search: Option<PatientSearch>,
    pub order: PatientOrder,
    pub offset: i64,
    pub limit: i64,
    /// Matching patients are counted up to this many and no further: an
    /// exact count would read every match on every request.
    pub count_limit: i64,
}

/// What [`list`] found.
#[derive(Debug, Clone)]
pub struct PatientPage {
    pub patients: Vec<StoredPatient>,
    /// Whether more patients match after this page.
    pub more: bool,
    /// How many match, counted up to the query's `count_limit`.
    pub counted: i64,
}

const COLUMNS: &str = "id, pseudonym, nickname, nickname_key, sex, birth_year, country, ern, hcp_id, \
     enrolled_by, enrolled_at, status, identity_sealed, consents, current_version";

fn patient_from(row: &AnyRow) -> Result<StoredPatient, StoreError> {
    let r = Reader::new(row, "patients");
    Ok(StoredPatient {
        id: r.parsed("id")?,
        pseudonym: r.with("pseudonym", Pseudonym::parse)?,
        nickname: r.opt_text("nickname")?,
        sex: r.with("sex", parse_sex)?,
        birth_year: i16::try_from(r.int("birth_year")?)
            .map_err(|e| StoreError::corrupt("patients", "birth_year", e))?,
        country: r.with("country", CountryCode::parse)?,
        ern: r.with("ern", ErnCode::parse)?,
        hcp: r.parsed("hcp_id")?,
        enrolled_by: r.parsed("enrolled_by")?,
        enrolled_at: r.parsed("enrolled_at")?,
        status: r.with("status", PatientStatus::parse)?,
        identity_sealed: r.opt_text("identity_sealed")?,
        consents: r.with("consents", |s| serde_json::from_str(s))?,
        current_version: r.int("current_version")?,
    })
}

fn sex_str(sex: Sex) -> &'static str {
    match sex {
        Sex::Male => "male",
        Sex::Female => "female",
        Sex::Unknown => "unknown",
    }
}

fn parse_sex(raw: &str) -> Result<Sex, String> {
    [Sex::Male, Sex::Female, Sex::Unknown]
        .into_iter()
        .find(|s| sex_str(*s) == raw)
        .ok_or_else(|| format!("unknown sex '{raw}'"))
}

fn json(value: &impl serde::Serialize, what: &'static str) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::corrupt("patients", what, e))
}

/// Stores a new patient (its version 1 is appended separately).
pub async fn insert(conn: &mut AnyConnection, p: &StoredPatient) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO patients (id, pseudonym, nickname, nickname_key, sex, birth_year, country, ern, \
         hcp_id, enrolled_by, enrolled_at, status, identity_sealed, consents, current_version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(p.id.to_string())
    .bind(p.pseudonym.as_str().to_owned())
    .bind(p.nickname.clone())
    .bind(nickname_key(p.nickname.as_deref()))
    .bind(sex_str(p.sex))
    .bind(i64::from(p.birth_year))
    .bind(p.country.as_str().to_owned())
    .bind(p.ern.as_str().to_owned())
    .bind(p.hcp.to_string())
    .bind(p.enrolled_by.to_string())
    .bind(ts(p.enrolled_at))
    .bind(p.status.as_str())
    .bind(p.identity_sealed.clone())
    .bind(json(&p.consents, "consents")?)
    .bind(p.current_version)
    .execute(conn)
    .await
    .map_err(|e| StoreError::unique(e, "a patient with this pseudonym"))?;
    Ok(())
}

pub async fn get(
    conn: &mut AnyConnection,
    id: PatientId,
) -> Result<Option<StoredPatient>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM patients WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(patient_from).transpose()
}

pub async fn get_by_pseudonym(
    conn: &mut AnyConnection,
    pseudonym: &Pseudonym,
) -> Result<Option<StoredPatient>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM patients WHERE pseudonym = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(pseudonym.as_str().to_owned())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(patient_from).transpose()
}

/// One page of the list and a count of the matches bounded by
/// `count_limit`. A search is the nickname range, and the pseudonym range
/// when the search could begin a pseudonym, as two index range scans joined
/// by `UNION ALL` (a patient in both is left out of the second). Each part
/// is ordered and cut to the rows up to the end of the page before they
/// are joined, so the engine can read them in index order and stop:
/// PostgreSQL otherwise sorts every match of a cut-off union.
pub async fn list(conn: &mut AnyConnection, q: &PatientQuery) -> Result<PatientPage, StoreError> {
    let (sources, binds) = sources(q);
    let next = binds.len() + 1;
    let matching = sources
        .iter()
        .map(|from| format!("SELECT 1 AS one {from}"))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let count_sql = format!("SELECT COUNT(*) AS n FROM ({matching} LIMIT ${next}) AS matching");
    let mut count = sqlx::query(sqlx::AssertSqlSafe(count_sql));
    for value in &binds {
        count = count.bind(value.clone());
    }
    let row = count.bind(q.count_limit).fetch_one(&mut *conn).await?;
    let counted = Reader::new(&row, "patients").int("n")?;
    let order = q.order.sql();
    let parts = sources
        .iter()
        .enumerate()
        .map(|(i, from)| {
            format!(
                "SELECT * FROM (SELECT {COLUMNS} {from} ORDER BY {order} LIMIT ${next}) AS part{i}"
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let page_sql = format!(
        "{parts} ORDER BY {order} LIMIT ${} OFFSET ${}",
        next + 1,
        next + 2
    );
    let mut page = sqlx::query(sqlx::AssertSqlSafe(page_sql));
    for value in binds {
        page = page.bind(value);
    }
    // One more than the page tells whether there is a next page.
    let rows = page
        .bind(q.offset.saturating_add(q.limit).saturating_add(1))
        .bind(q.limit.saturating_add(1))
        .bind(q.offset)
        .fetch_all(conn)
        .await?;
    let mut patients = rows
        .iter()
        .map(patient_from)
        .collect::<Result<Vec<_>, _>>()?;
    let more = i64::try_from(patients.len()).unwrap_or(i64::MAX) > q.limit;
    patients.truncate(usize::try_from(q.limit).unwrap_or(0));
    Ok(PatientPage {
        patients,
        more,
        counted,
    })
}

/// The `FROM … WHERE …` of each part of the list's union and the text
/// values they bind, in order from `$1`.
fn sources(q: &PatientQuery) -> (Vec<String>, Vec<String>) {
    let mut binds = vec![q.hcp.to_string(), q.owner.to_string()];
    let owned = "FROM patients WHERE hcp_id = $1 AND enrolled_by = $2";
    let Some(search) = &q.search else {
        return (vec![owned.to_owned()], binds);
    };
    binds.push(search.nickname_from.clone());
    binds.push(search.nickname_before.clone());
    let by_nickname = "nickname_key >= $3 AND nickname_key < $4";
    let mut sources = vec![format!("{owned} AND {by_nickname}")];
    if let Some((low, high)) = &search.pseudonyms {
        binds.push(low.clone());
        binds.push(high.clone());
        sources.push(format!(
            "{owned} AND pseudonym >= $5 AND pseudonym <= $6 AND NOT ({by_nickname})"
        ));
    }
    (sources, binds)
}

/// Replaces the sealed identity (re-sealed under a new key, or `None` on
/// erasure).
pub async fn set_identity(
    conn: &mut AnyConnection,
    id: PatientId,
    sealed: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE patients SET identity_sealed = $2 WHERE id = $1")
        .bind(id.to_string())
        .bind(sealed.map(str::to_owned))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_status_and_consents(
    conn: &mut AnyConnection,
    id: PatientId,
    status: PatientStatus,
    consents: &Consents,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE patients SET status = $2, consents = $3 WHERE id = $1")
        .bind(id.to_string())
        .bind(status.as_str())
        .bind(json(consents, "consents")?)
        .execute(conn)
        .await?;
    Ok(())
}

/// Erasure: the identity and the nickname go; the row stays as the
/// anchor of the audit trail.
pub async fn erase_identity(conn: &mut AnyConnection, id: PatientId) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE patients SET identity_sealed = NULL, nickname = NULL, nickname_key = '', status = 'erased' \
         WHERE id = $1",
    )
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Sealed identities in id order after `after`, for re-encryption.
pub async fn sealed_identities(
    conn: &mut AnyConnection,
    after: Option<PatientId>,
    limit: i64,
) -> Result<Vec<(PatientId, String)>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, identity_sealed FROM patients WHERE identity_sealed IS NOT NULL AND id > $1 \
         ORDER BY id LIMIT $2",
    )
    .bind(after.map(|a| a.to_string()).unwrap_or_default())
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let r = Reader::new(row, "patients");
            Ok((r.parsed("id")?, r.text("identity_sealed")?))
        })
        .collect()
}

/// Appends the next version and makes it current.
pub async fn append_version(
    conn: &mut AnyConnection,
    patient: PatientId,
    v: &RecordVersion,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO record_versions (patient_id, version, at, author_id, on_behalf_of, description, change, content) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(patient.to_string())
    .bind(v.version)
    .bind(ts(v.at))
    .bind(v.author.to_string())
    .bind(v.on_behalf_of.map(|u| u.to_string()))
    .bind(v.description.clone())
    .bind(json(&v.change, "change")?)
    .bind(json(&v.content, "content")?)
    .execute(&mut *conn)
    .await
    .map_err(|e| StoreError::unique(e, "this record version"))?;
    sqlx::query("UPDATE patients SET current_version = $2 WHERE id = $1")
        .bind(patient.to_string())
        .bind(v.version)
        .execute(conn)
        .await?;
    Ok(())
}

fn version_from(row: &AnyRow) -> Result<RecordVersion, StoreError> {
    let r = Reader::new(row, "record_versions");
    Ok(RecordVersion {
        version: r.int("version")?,
        at: r.parsed("at")?,
        author: r.parsed("author_id")?,
        on_behalf_of: r.opt_parsed("on_behalf_of")?,
        description: r.text("description")?,
        change: r.with("change", |s| serde_json::from_str(s))?,
        content: r.with("content", |s| serde_json::from_str(s))?,
    })
}

pub async fn version(
    conn: &mut AnyConnection,
    patient: PatientId,
    version: i64,
) -> Result<Option<RecordVersion>, StoreError> {
    let row = sqlx::query(
        "SELECT version, at, author_id, on_behalf_of, description, change, content \
         FROM record_versions WHERE patient_id = $1 AND version = $2",
    )
    .bind(patient.to_string())
    .bind(version)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(version_from).transpose()
}

/// Every version, newest first.
pub async fn versions(
    conn: &mut AnyConnection,
    patient: PatientId,
) -> Result<Vec<RecordVersion>, StoreError> {
    let rows = sqlx::query(
        "SELECT version, at, author_id, on_behalf_of, description, change, content \
         FROM record_versions WHERE patient_id = $1 ORDER BY version DESC",
    )
    .bind(patient.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(version_from).collect()
}

/// Erasure with clinical data deleted: every version goes.
pub async fn delete_versions(
    conn: &mut AnyConnection,
    patient: PatientId,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM record_versions WHERE patient_id = $1")
        .bind(patient.to_string())
        .execute(conn)
        .await?;
    Ok(())
}
