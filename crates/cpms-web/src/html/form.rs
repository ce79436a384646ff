//! Form bodies with repeated fields (check boxes), which `axum::Form`
//! cannot collect.

pub(crate) struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &[u8]) -> Self {
        Self(form_urlencoded::parse(body).into_owned().collect())
    }

    /// The first value of `name`, or "" when absent.
    pub fn one(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every field, in order.
    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.0
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn repeated_fields_are_all_kept() {
        let f = super::Fields::parse(b"erns=BOND&erns=ERN-RND&name=A+B");
        assert_eq!(f.all("erns"), ["BOND", "ERN-RND"]);
        assert_eq!(f.one("name"), "A B");
        assert_eq!(f.one("missing"), "");
    }
}
