//! Expert groups: named lists of experts a network keeps, to invite to a
//! panel in one go. Names are unique within a network whatever their case.

use cpms_domain::ids::{ExpertGroupId, UserId};
use cpms_domain::org::ErnCode;
use jiff::Timestamp;
use sqlx::{AnyConnection, Connection};

use crate::StoreError;
use crate::codec::{Reader, ts};

/// A group with how many experts it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpertGroup {
    pub id: ExpertGroupId,
    pub ern: ErnCode,
    pub name: String,
    pub members: i64,
}

/// An expert in a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupMember {
    pub user: UserId,
    pub name: String,
}

fn name_key(name: &str) -> String {
    name.to_lowercase()
}

fn duplicate(name: &str) -> impl FnOnce(sqlx::Error) -> StoreError + '_ {
    move |e| StoreError::unique(e, format!("an expert group named '{name}'"))
}

/// Creates an empty group. A name the network already uses is `Duplicate`
/// (under a savepoint, so the caller's transaction stays usable).
pub async fn create(
    conn: &mut AnyConnection,
    id: ExpertGroupId,
    ern: &ErnCode,
    name: &str,
    by: UserId,
    at: Timestamp,
) -> Result<(), StoreError> {
    let mut savepoint = conn.begin().await?;
    sqlx::query(
        "INSERT INTO expert_groups (id, ern, name, name_key, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.to_string())
    .bind(ern.as_str().to_owned())
    .bind(name.to_owned())
    .bind(name_key(name))
    .bind(by.to_string())
    .bind(ts(at))
    .execute(&mut *savepoint)
    .await
    .map_err(duplicate(name))?;
    savepoint.commit().await?;
    Ok(())
}

/// Renames a group (same rule for names as [`create`]).
pub async fn rename(
    conn: &mut AnyConnection,
    id: ExpertGroupId,
    name: &str,
) -> Result<(), StoreError> {
    let mut savepoint = conn.begin().await?;
    sqlx::query("UPDATE expert_groups SET name = $2, name_key = $3 WHERE id = $1")
        .bind(id.to_string())
        .bind(name.to_owned())
        .bind(name_key(name))
        .execute(&mut *savepoint)
        .await
        .map_err(duplicate(name))?;
    savepoint.commit().await?;
    Ok(())
}

/// Deletes a group and its list (the experts themselves stay).
pub async fn delete(conn: &mut AnyConnection, id: ExpertGroupId) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM expert_group_members WHERE group_id = $1")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM expert_groups WHERE id = $1")
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

const GROUP_SELECT: &str = "SELECT g.id, g.ern, g.name, \
     (SELECT COUNT(*) FROM expert_group_members m WHERE m.group_id = g.id) AS members \
     FROM expert_groups g";

fn group_from(row: &sqlx::any::AnyRow) -> Result<ExpertGroup, StoreError> {
    let r = Reader::new(row, "expert_groups");
    Ok(ExpertGroup {
        id: r.parsed("id")?,
        ern: r.with("ern", ErnCode::parse)?,
        name: r.text("name")?,
        members: r.int("members")?,
    })
}

pub async fn get(
    conn: &mut AnyConnection,
    id: ExpertGroupId,
) -> Result<Option<ExpertGroup>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{GROUP_SELECT} WHERE g.id = $1"
    )))
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(group_from).transpose()
}

/// A network's groups by name.
pub async fn of_ern(
    conn: &mut AnyConnection,
    ern: &ErnCode,
) -> Result<Vec<ExpertGroup>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{GROUP_SELECT} WHERE g.ern = $1 ORDER BY g.name_key"
    )))
    .bind(ern.as_str().to_owned())
    .fetch_all(conn)
    .await?;
    rows.iter().map(group_from).collect()
}

/// The experts of a group by name.
pub async fn members(
    conn: &mut AnyConnection,
    id: ExpertGroupId,
) -> Result<Vec<GroupMember>, StoreError> {
    let rows = sqlx::query(
        "SELECT m.user_id, u.display_name FROM expert_group_members m \
         JOIN users u ON u.id = m.user_id WHERE m.group_id = $1 ORDER BY u.display_name, u.id",
    )
    .bind(id.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let r = Reader::new(row, "expert_group_members");
            Ok(GroupMember {
                user: r.parsed("user_id")?,
                name: r.text("display_name")?,
            })
        })
        .collect()
}

/// Adds an expert; one already in the group stays as they are.
pub async fn add_member(
    conn: &mut AnyConnection,
    id: ExpertGroupId,
    user: UserId,
    by: UserId,
    at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO expert_group_members (group_id, user_id, added_by, added_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (group_id, user_id) DO NOTHING",
    )
    .bind(id.to_string())
    .bind(user.to_string())
    .bind(by.to_string())
    .bind(ts(at))
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes an expert; `false` when they were not in the group.
pub async fn remove_member(
    conn: &mut AnyConnection,
    id: ExpertGroupId,
    user: UserId,
) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM expert_group_members WHERE group_id = $1 AND user_id = $2")
        .bind(id.to_string())
        .bind(user.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
