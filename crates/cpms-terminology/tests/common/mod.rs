//! The shipped terminology, loaded once per test binary (loading takes seconds unoptimised).

use std::sync::OnceLock;

use cpms_terminology::{Concept, Terminology};

pub fn shipped() -> &'static Terminology {
    static LOADED: OnceLock<Terminology> = OnceLock::new();
    LOADED.get_or_init(|| Terminology::shipped().expect("the shipped files load"))
}

pub fn concept(code: &str) -> &'static Concept {
    shipped()
        .get(code)
        .unwrap_or_else(|| panic!("{code} is in the shipped files"))
}

pub fn codes<'a>(concepts: impl IntoIterator<Item = &'a Concept>) -> Vec<&'a str> {
    concepts.into_iter().map(|c| c.code.as_str()).collect()
}
