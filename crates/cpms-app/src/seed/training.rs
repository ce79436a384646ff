use cpms_auth::password::PasswordPolicy;
use cpms_domain::ids::{MembershipId, UserId};
use cpms_domain::org::{Membership, MembershipStatus, Role};
use cpms_domain::training::{TrainingAccount, training_accounts};
use cpms_domain::user::{AccountStatus, User};
use cpms_store::repo::{memberships, reference, users};
use rand::Rng;

use crate::{App, AppError};

/// Guests' memberships run this long from creation.
const GUEST_DAYS: i64 = 90;

/// A training account and its password, for the credentials file.
#[derive(Clone, PartialEq, Eq)]
pub struct TrainingCredential {
    pub username: String,
    pub password: String,
    pub ern: String,
    pub role: Role,
    pub hospital: String,
}

impl std::fmt::Debug for TrainingCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrainingCredential")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl App {
    /// Creates the training accounts that are missing. With
    /// `reset_passwords`, every training account gets a new password (used
    /// when the credentials file was lost). Returns the credentials of the
    /// accounts whose password was set now.
    pub async fn ensure_training_accounts(
        &self,
        reset_passwords: bool,
    ) -> Result<Vec<TrainingCredential>, AppError> {
        let plan = training_accounts();
        let mut issued = Vec::new();
        let mut tx = self.store().write().await?;
        for account in &plan {
            let existing = users::find_by_username(&mut tx, &account.username).await?;
            if existing.is_some() && !reset_passwords {
                continue;
            }
            let password = generate_password();
            let hash = self.hash_new_password(&password).await?;
            match existing {
                Some((user, _)) => users::set_password_hash(&mut tx, user.id, &hash).await?,
                None => self.create_training_user(&mut tx, account, &hash).await?,
            }
            issued.push(TrainingCredential {
                username: account.username.clone(),
                password,
                ern: account.ern.to_string(),
                role: account.role,
                hospital: account.hcp.to_string(),
            });
        }
        tx.commit().await?;
        Ok(issued)
    }

    async fn create_training_user(
        &self,
        tx: &mut cpms_store::WriteTx,
        account: &TrainingAccount,
        hash: &str,
    ) -> Result<(), AppError> {
        let now = self.now();
        let user = User {
            id: UserId::new(),
            username: account.username.clone(),
            display_name: account.display_name.clone(),
            email: format!("{}@training.ern-cpms.invalid", account.username),
            status: AccountStatus::Active,
            administrator: false,
            training: true,
        };
        users::insert(tx, &user, Some(hash), now).await?;
        let hcp = reference::get_hcp_by_code(tx, &account.hcp)
            .await?
            .ok_or_else(|| {
                AppError::internal(format!("training hospital {} is not seeded", account.hcp))
            })?;
        let expires_at = account.role.is_guest().then(|| {
            now.saturating_add(jiff::SignedDuration::from_hours(24 * GUEST_DAYS))
                .unwrap_or(now)
        });
        let membership = Membership {
            id: MembershipId::new(),
            user: user.id,
            ern: account.ern.clone(),
            hcp: hcp.id,
            hcp_code: hcp.code,
            hcp_name: hcp.name,
            role: account.role,
            status: MembershipStatus::Approved,
            expires_at,
        };
        memberships::insert(tx, &membership, now).await?;
        Ok(())
    }

    /// How many training accounts exist.
    pub async fn training_account_count(&self) -> Result<i64, AppError> {
        let mut conn = self.store().read().await?;
        Ok(users::count_training(&mut conn).await?)
    }

    async fn hash_new_password(&self, password: &str) -> Result<String, AppError> {
        let accepted = PasswordPolicy::default()
            .check(password)
            .map_err(AppError::internal)?;
        let app = self.clone();
        tokio::task::spawn_blocking(move || app.passwords().hash(&accepted))
            .await
            .map_err(AppError::internal)?
            .map_err(AppError::internal)
    }
}

/// Four groups of four from an alphabet without look-alikes (no 0/o, 1/l/i):
/// about 78 bits, easy to read off a sheet and type.
fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    let groups: Vec<String> = (0..4)
        .map(|_| {
            (0..4)
                .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
                .collect()
        })
        .collect();
    groups.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_pass_the_policy_and_differ() {
        let a = generate_password();
        let b = generate_password();
        assert_eq!(a.len(), 19);
        assert!(PasswordPolicy::default().check(&a).is_ok());
        assert_ne!(a, b);
    }
}
