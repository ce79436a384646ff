//! Verifying the audit chain (`cpms audit verify`).

use cpms_domain::audit::{ChainError, Verifier};
use cpms_store::Store;
use cpms_store::repo::audit;

use crate::AppError;

/// Events are read in pages so memory stays flat however long the log.
const PAGE: i64 = 1000;

/// How a verification ended.
#[derive(Debug)]
pub enum ChainCheck {
    /// This many events verified.
    Intact(u64),
    /// The first event where the chain breaks.
    Broken(ChainError),
}

/// Walks the whole chain in stored order and compares its end with the
/// recorded head.
pub async fn verify_chain(store: &Store) -> Result<ChainCheck, AppError> {
    let mut conn = store.read().await?;
    let mut verifier = Verifier::default();
    let mut after = 0;
    loop {
        let page = audit::page(&mut conn, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for event in &page {
            if let Err(broken) = verifier.check(event) {
                return Ok(ChainCheck::Broken(broken));
            }
        }
    }
    let head = audit::head(&mut conn).await?;
    Ok(
        match verifier.finish(head.as_ref().map(|(seq, hash)| (*seq, hash.as_str()))) {
            Ok(n) => ChainCheck::Intact(n),
            Err(broken) => ChainCheck::Broken(broken),
        },
    )
}
