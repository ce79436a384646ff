use cpms_domain::org::{Country, CountryCode, Ern, ErnCode, HcpCode, HcpKind};
use cpms_domain::reference::{
    COUNTRIES, ERNS, GENERAL_AREA, HOSPITALS, PROFESSIONS, THEMATIC_AREAS,
};
use cpms_domain::training::synthetic_hospitals;
use cpms_store::WriteTx;
use cpms_store::repo::reference::{self as repo, NewHcp};
use sha2::{Digest, Sha256};

use crate::{App, AppError};

/// Name under which the reference seed's fingerprint is stored.
pub const SEED_REFERENCE: &str = "reference";

impl App {
    /// Inserts the shipped reference data that is missing (and, in training
    /// mode, the synthetic hospitals). Skips all work when the database was
    /// already seeded from the same data.
    pub async fn seed_reference(&self) -> Result<bool, AppError> {
        let training = self.settings().training;
        let fingerprint = fingerprint(training);
        let mut tx = self.store().write().await?;
        if repo::seed_fingerprint(&mut tx, SEED_REFERENCE)
            .await?
            .as_deref()
            == Some(fingerprint.as_str())
        {
            return Ok(false);
        }
        seed_networks(&mut tx).await?;
        seed_hospitals(&mut tx).await?;
        seed_guest_entries(&mut tx).await?;
        if training {
            seed_synthetic_hospitals(&mut tx).await?;
        }
        for (position, name) in PROFESSIONS.iter().enumerate() {
            repo::insert_profession(&mut tx, &slug(name), name, position as i64).await?;
        }
        repo::set_seed_fingerprint(&mut tx, SEED_REFERENCE, &fingerprint).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// Changes whenever the shipped data (or training mode) changes.
fn fingerprint(training: bool) -> String {
    let mut h = Sha256::new();
    h.update(format!(
        "{ERNS:?}{COUNTRIES:?}{HOSPITALS:?}{THEMATIC_AREAS:?}{PROFESSIONS:?}"
    ));
    if training {
        h.update(format!("{:?}", synthetic_hospitals()));
    }
    hex::encode(h.finalize())
}

fn slug(name: &str) -> String {
    name.to_lowercase().replace(' ', "_")
}

async fn seed_networks(tx: &mut WriteTx) -> Result<(), AppError> {
    for (code, label, full_name) in ERNS {
        let code = ErnCode::parse(code)?;
        let ern = Ern {
            code: code.clone(),
            label: (*label).to_owned(),
            full_name: (*full_name).to_owned(),
        };
        repo::insert_ern(tx, &ern).await?;
        repo::ensure_area(tx, &code, None, GENERAL_AREA).await?;
    }
    for area in THEMATIC_AREAS {
        repo::ensure_area(tx, &ErnCode::parse(area.ern)?, area.parent, area.name).await?;
    }
    for (code, name, usage) in COUNTRIES {
        let country = Country {
            code: CountryCode::parse(code)?,
            name: (*name).to_owned(),
            usage: *usage,
        };
        repo::insert_country(tx, &country).await?;
    }
    Ok(())
}

async fn seed_hospitals(tx: &mut WriteTx) -> Result<(), AppError> {
    for h in HOSPITALS {
        let code = HcpCode::parse(h.code)?;
        let hcp = NewHcp {
            code: &code,
            name: h.name,
            city: h.city,
            country: Some(CountryCode::parse(h.country)?),
            kind: HcpKind::Hospital,
            synthetic: false,
        };
        let id = repo::ensure_hcp(tx, &hcp).await?;
        for ern in h.erns {
            repo::link_hcp_ern(tx, id, &ErnCode::parse(ern)?).await?;
        }
    }
    Ok(())
}

/// A `0000 Guest Access` entry per country, in every ERN, and a Guest
/// Virtual Centre per ERN.
async fn seed_guest_entries(tx: &mut WriteTx) -> Result<(), AppError> {
    let erns: Vec<ErnCode> = ERNS
        .iter()
        .map(|(code, _, _)| ErnCode::parse(code))
        .collect::<Result<_, _>>()?;
    for (code, name, _) in COUNTRIES {
        let country = CountryCode::parse(code)?;
        let hcp_code = HcpCode::guest_access(country);
        let label = format!("0000 Guest Access ({name})");
        let hcp = NewHcp {
            code: &hcp_code,
            name: &label,
            city: "",
            country: Some(country),
            kind: HcpKind::GuestAccess,
            synthetic: false,
        };
        let id = repo::ensure_hcp(tx, &hcp).await?;
        for ern in &erns {
            repo::link_hcp_ern(tx, id, ern).await?;
        }
    }
    for ern in &erns {
        let code = HcpCode::virtual_centre(ern);
        let label = format!("Guest Virtual Centre {ern}");
        let hcp = NewHcp {
            code: &code,
            name: &label,
            city: "",
            country: None,
            kind: HcpKind::VirtualCentre,
            synthetic: false,
        };
        let id = repo::ensure_hcp(tx, &hcp).await?;
        repo::link_hcp_ern(tx, id, ern).await?;
    }
    Ok(())
}

async fn seed_synthetic_hospitals(tx: &mut WriteTx) -> Result<(), AppError> {
    for h in synthetic_hospitals() {
        let code = HcpCode::parse(&h.code)?;
        let hcp = NewHcp {
            code: &code,
            name: &h.name,
            city: h.city,
            country: Some(CountryCode::parse(h.country)?),
            kind: HcpKind::Hospital,
            synthetic: true,
        };
        let id = repo::ensure_hcp(tx, &hcp).await?;
        for ern in &h.erns {
            repo::link_hcp_ern(tx, id, &ErnCode::parse(ern)?).await?;
        }
    }
    Ok(())
}
