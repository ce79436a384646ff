//! Writes the synthetic studies `bench/dicom.sh` sends to ERN-CPMS and to
//! Orthanc: a CT series of 512×512 16-bit slices in `DIR/ct/` and one
//! radiograph study of 2–10 MB images (four sizes in turn) in `DIR/dx/`;
//! with FILL, that many more small CT instances (64×64, 500 a study, one
//! synthetic patient each) in `DIR/fill/NNNN/`, to fill a store.
//!
//! `cargo run --release -p cpms-dicom --example bench_studies -- DIR [SLICES] [RADIOGRAPHS] [FILL]`

use std::path::PathBuf;

use cpms_dicom::synth::{self, Encoding, Identity, InstanceIds, TestImage};

/// Rows × columns of 16-bit radiographs: about 2, 4.7, 7.5 and 9.8 MB.
const RADIOGRAPH_SIZES: [(u16, u16); 4] = [(1024, 1024), (1536, 1536), (2140, 1760), (2400, 2048)];

/// Instances in each study of the fill.
const FILL_STUDY: u32 = 500;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: bench_studies DIR [SLICES] [RADIOGRAPHS] [FILL]")?,
    );
    let slices: u32 = args.next().map_or(Ok(300), |n| n.parse())?;
    let radiographs: u32 = args.next().map_or(Ok(8), |n| n.parse())?;
    let fill: u32 = args.next().map_or(Ok(0), |n| n.parse())?;
    let identity = Identity::sample();

    let ct = dir.join("ct");
    std::fs::create_dir_all(&ct)?;
    for (n, bytes) in synth::ct_study(&identity, slices, 512, 512)?
        .into_iter()
        .enumerate()
    {
        std::fs::write(ct.join(format!("{n:04}.dcm")), bytes)?;
    }

    // One study with one series: every radiograph under the same label,
    // told apart by its instance number.
    let dx = dir.join("dx");
    std::fs::create_dir_all(&dx)?;
    for (n, (rows, columns)) in (1..=radiographs).zip(RADIOGRAPH_SIZES.iter().cycle()) {
        let ids = InstanceIds::derived("dx/bench", n);
        let image = TestImage::radiograph(*rows, *columns);
        let bytes = synth::instance(&image, Encoding::ExplicitVrLittleEndian, &identity, &ids)?;
        std::fs::write(dx.join(format!("{n:04}.dcm")), bytes)?;
    }

    for (study, first) in (0..fill).step_by(FILL_STUDY as usize).enumerate() {
        let folder = dir.join("fill").join(format!("{study:04}"));
        std::fs::create_dir_all(&folder)?;
        let patient = Identity {
            patient_id: format!("FILL-{study}"),
            ..identity.clone()
        };
        let slices = FILL_STUDY.min(fill - first);
        for (n, bytes) in synth::ct_study(&patient, slices, 64, 64)?
            .into_iter()
            .enumerate()
        {
            std::fs::write(folder.join(format!("{n:04}.dcm")), bytes)?;
        }
    }
    Ok(())
}
