//! The shipped terminology, loaded once per test binary (loading takes seconds unoptimised).

use std::sync::OnceLock;

use cpms_terminology::Terminology;

pub fn shipped() -> &'static Terminology {
    static LOADED: OnceLock<Terminology> = OnceLock::new();
    LOADED.get_or_init(|| Terminology::shipped().expect("the shipped files load"))
}
