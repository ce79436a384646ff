//! The model consent form, printed from the enrolment page for a centre
//! where the caller may enrol patients.

use cpms_reports::consent_form::{ConsentFormCentre, consent_form};
use cpms_reports::pdf::render;

use crate::{App, AppError, Caller};

impl App {
    /// The form as PDF bytes, naming the centre and its networks.
    pub async fn consent_form(&self, caller: &Caller, hcp_code: &str) -> Result<Vec<u8>, AppError> {
        let hcp = self.enrolling_centre(caller, hcp_code).await?;
        let centre = ConsentFormCentre {
            name: hcp.name,
            city: hcp.city,
            networks: hcp.erns.iter().map(|e| e.as_str().to_owned()).collect(),
        };
        render(&consent_form(&centre, self.now())).map_err(AppError::internal)
    }
}
