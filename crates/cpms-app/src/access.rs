//! The two shapes of authorisation most use cases share: one's own
//! account, and a network named in the request. Both go through
//! `App::authorize`, so refusals are audited alike.

use cpms_domain::org::ErnCode;
use cpms_domain::policy::{Action, Resource};

use crate::{App, AppError, Caller};

impl App {
    /// The caller may use their own account (every signed-in person may;
    /// the check keeps the policy the only judge).
    pub(crate) async fn authorize_own_account(&self, caller: &Caller) -> Result<(), AppError> {
        let me = caller.user.id;
        self.authorize(
            caller,
            Action::ManageOwnAccount,
            Resource::Account(me),
            &format!("user:{me}"),
        )
        .await
    }

    /// The network named `ern`, once the caller may do `action` there. An
    /// unknown code is "not found", like a network one may not see.
    pub(crate) async fn authorize_in_ern(
        &self,
        caller: &Caller,
        action: Action,
        ern: &str,
    ) -> Result<ErnCode, AppError> {
        let ern = ErnCode::parse(ern).map_err(|_| AppError::not_found("That network"))?;
        self.authorize(caller, action, Resource::Ern(&ern), &format!("ern:{ern}"))
            .await?;
        Ok(ern)
    }
}
