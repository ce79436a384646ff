//! Live updates within one process: a broadcast channel per person with an
//! open page. A signal carries no data, only "look again": the page's
//! stream then reads the count and newest items through the use cases, so
//! nothing is sent that the database does not say. Other instances never
//! hear these signals; their streams also look again periodically (see
//! `cpms-web`'s stream), which is how several instances converge.

use std::collections::HashMap;
use std::sync::Mutex;

use cpms_domain::ids::UserId;
use tokio::sync::{broadcast, watch};

/// Signals waiting per person before a slow page is told it lagged (it
/// then simply looks again).
const CAPACITY: usize = 8;

pub struct NotificationHub {
    channels: Mutex<HashMap<UserId, broadcast::Sender<()>>>,
    /// Set when the server shuts down: open streams end, so the graceful
    /// shutdown does not wait for pages that would never hang up.
    closing: watch::Sender<bool>,
}

impl Default for NotificationHub {
    fn default() -> Self {
        Self {
            channels: Mutex::default(),
            closing: watch::Sender::new(false),
        }
    }
}

impl NotificationHub {
    /// Signals for `user` from now on.
    pub fn subscribe(&self, user: UserId) -> NotificationFeed {
        let mut channels = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        let receiver = channels
            .entry(user)
            .or_insert_with(|| broadcast::channel(CAPACITY).0)
            .subscribe();
        NotificationFeed {
            receiver,
            closing: self.closing.subscribe(),
        }
    }

    /// Ends every feed (server shutdown).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Tells `user`'s open pages that their notifications changed. A
    /// channel nobody listens to any more is dropped here.
    pub fn announce(&self, user: UserId) {
        let mut channels = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(sender) = channels.get(&user)
            && sender.send(()).is_err()
        {
            channels.remove(&user);
        }
    }
}

/// One open page's subscription.
pub struct NotificationFeed {
    receiver: broadcast::Receiver<()>,
    closing: watch::Receiver<bool>,
}

/// What a feed heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedSignal {
    /// The person's notifications changed: look again.
    Changed,
    /// The server is shutting down: end the stream.
    Closing,
}

impl NotificationFeed {
    /// Waits for the next change or the shutdown. Missed signals (a
    /// lagging page) count as one change; a closed channel never signals
    /// again, and the caller's periodic look covers it.
    pub async fn next(&mut self) -> FeedSignal {
        let changed = async {
            match self.receiver.recv().await {
                Ok(()) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
            }
        };
        tokio::select! {
            () = changed => FeedSignal::Changed,
            _ = self.closing.wait_for(|closing| *closing) => FeedSignal::Closing,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn announcements_reach_only_the_persons_feeds() {
        let hub = NotificationHub::default();
        let (nora, otto) = (UserId::new(), UserId::new());
        let mut first = hub.subscribe(nora);
        let mut second = hub.subscribe(nora);
        let mut others = hub.subscribe(otto);
        hub.announce(nora);
        let wait = Duration::from_secs(1);
        let heard = tokio::time::timeout(wait, first.next()).await.unwrap();
        assert_eq!(heard, FeedSignal::Changed);
        tokio::time::timeout(wait, second.next()).await.unwrap();
        assert!(
            tokio::time::timeout(Duration::from_millis(50), others.next())
                .await
                .is_err()
        );
        hub.close();
        let heard = tokio::time::timeout(wait, others.next()).await.unwrap();
        assert_eq!(heard, FeedSignal::Closing);
    }

    #[tokio::test]
    async fn channels_without_listeners_are_dropped() {
        let hub = NotificationHub::default();
        let nora = UserId::new();
        drop(hub.subscribe(nora));
        hub.announce(nora);
        assert!(hub.channels.lock().unwrap().is_empty());
    }
}
