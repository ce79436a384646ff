//! A person's notification centre: the list, the unread count, marking
//! read, and what the live stream sends.

use cpms_domain::ids::NotificationId;
use cpms_domain::notification::Notification;
use cpms_domain::policy::{Action, Resource};
use cpms_domain::session::SessionStage;
use cpms_store::repo::{notifications, sessions};

use crate::{App, AppError, Caller, ErrorCode};

/// Notifications per page of the centre.
pub const PAGE_SIZE: i64 = 20;
/// Newest items the live stream sends with the count.
const LATEST: i64 = 5;

/// One page of the centre: unread first, then newest first.
#[derive(Debug, Clone)]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    /// 1-based.
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub unread: i64,
}

/// What the bell and an open centre need to catch up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationSummary {
    pub unread: i64,
    pub latest: Vec<Notification>,
}

impl App {
    /// Notifications are the caller's own account data.
    pub(super) async fn authorize_own(&self, caller: &Caller) -> Result<(), AppError> {
        let me = caller.user.id;
        self.authorize(
            caller,
            Action::ManageOwnAccount,
            Resource::Account(me),
            &format!("user:{me}"),
        )
        .await
    }

    /// Page `page` (1-based; beyond the end gives the last) of the
    /// caller's notifications.
    pub async fn my_notifications(
        &self,
        caller: &Caller,
        page: i64,
    ) -> Result<NotificationPage, AppError> {
        self.authorize_own(caller).await?;
        let me = caller.user.id;
        let mut conn = self.store().read().await?;
        let total = notifications::count(&mut conn, me).await?;
        let unread = notifications::count_unread(&mut conn, me).await?;
        let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
        let page = page.clamp(1, pages);
        let items = notifications::page(&mut conn, me, (page - 1) * PAGE_SIZE, PAGE_SIZE).await?;
        Ok(NotificationPage {
            items,
            page,
            pages,
            total,
            unread,
        })
    }

    /// How many of the caller's notifications are unread (the bell).
    pub async fn unread_notifications(&self, caller: &Caller) -> Result<i64, AppError> {
        self.authorize_own(caller).await?;
        let mut conn = self.store().read().await?;
        Ok(notifications::count_unread(&mut conn, caller.user.id).await?)
    }

    /// Marks one of the caller's notifications read. Someone else's, or an
    /// id that is not one, is "not found": whether it exists is not theirs
    /// to learn.
    pub async fn mark_notification_read(&self, caller: &Caller, id: &str) -> Result<(), AppError> {
        self.authorize_own(caller).await?;
        let not_found = || AppError::not_found("That notification");
        let id: NotificationId = id.parse().map_err(|_| not_found())?;
        let me = caller.user.id;
        let mut tx = self.store().write().await?;
        if !notifications::mark_read(&mut tx, me, id, self.now()).await? {
            return Err(not_found());
        }
        self.announce_after(&mut tx, me);
        tx.commit().await?;
        Ok(())
    }

    /// Marks all the caller's notifications read; returns how many were
    /// unread.
    pub async fn mark_all_notifications_read(&self, caller: &Caller) -> Result<u64, AppError> {
        self.authorize_own(caller).await?;
        let me = caller.user.id;
        let mut tx = self.store().write().await?;
        let marked = notifications::mark_all_read(&mut tx, me, self.now()).await?;
        self.announce_after(&mut tx, me);
        tx.commit().await?;
        Ok(marked)
    }

    /// The unread count and newest items, for a live stream that has been
    /// open a while: it ends (`NotSignedIn`) once the session it was opened
    /// with has ended, and reads the session without extending it, so an
    /// open tab does not keep an idle session alive.
    pub async fn notification_summary(
        &self,
        caller: &Caller,
    ) -> Result<NotificationSummary, AppError> {
        let me = caller.user.id;
        let mut conn = self.store().read().await?;
        let standing = sessions::of_user(&mut conn, me)
            .await?
            .into_iter()
            .any(|s| {
                s.id == caller.session
                    && s.stage == SessionStage::Full
                    && s.check(self.now(), self.settings().sessions).is_ok()
            });
        if !standing {
            return Err(AppError::new(
                ErrorCode::NotSignedIn,
                "The session has ended.",
            ));
        }
        drop(conn);
        self.authorize_own(caller).await?;
        let mut conn = self.store().read().await?;
        Ok(NotificationSummary {
            unread: notifications::count_unread(&mut conn, me).await?,
            latest: notifications::page(&mut conn, me, 0, LATEST).await?,
        })
    }

    /// Live changes of the caller's notifications in this process.
    pub fn notification_feed(&self, caller: &Caller) -> super::NotificationFeed {
        self.hub().subscribe(caller.user.id)
    }

    /// Ends the live streams of this process (server shutdown).
    pub fn end_live_notifications(&self) {
        self.hub().close();
    }

    fn announce_after(&self, tx: &mut cpms_store::WriteTx, user: cpms_domain::ids::UserId) {
        let hub = self.hub();
        tx.after_commit(move || hub.announce(user));
    }
}
