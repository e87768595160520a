//! Evaluates `#[cfg(..)]` attributes the way rustc does for one build, so
//! that items rustc never compiles (behind a disabled feature, `cfg(test)`,
//! another OS) are neither annotated nor counted as compiling.
//!
//! The configuration is the crate's enabled features (from cargo's
//! `compiler-artifact` message of the unmodified crate) plus the target's
//! cfgs (`rustc --print cfg`). Anything not set is false, as in rustc:
//! `test`, `doc`, `docsrs`, `loom`, `tokio_unstable`, …

use std::collections::HashSet;

use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Lit, Meta, Token};

/// The set of cfg options that are on in one build.
#[derive(Debug, Clone, Default)]
pub(crate) struct CfgSet {
    /// Bare names: `unix`, `debug_assertions`, …
    names: HashSet<String>,
    /// `key = "value"` pairs, features included as `feature = "x"`.
    pairs: HashSet<(String, String)>,
}

impl CfgSet {
    /// Reads the lines of `rustc --print cfg` (`unix`, `target_os="linux"`)
    /// and adds `feature = "x"` for each of `features`.
    pub(crate) fn new(print_cfg: &str, features: &[String]) -> Self {
        let mut set = Self::default();
        for line in print_cfg.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match line.split_once('=') {
                Some((key, value)) => {
                    set.pairs
                        .insert((key.trim().to_owned(), value.trim().trim_matches('"').to_owned()));
                }
                None => {
                    set.names.insert(line.to_owned());
                }
            }
        }
        for feature in features {
            set.pairs.insert(("feature".to_owned(), feature.clone()));
        }
        set
    }

    /// Whether every `#[cfg(..)]` among `attrs` holds (an item with none is
    /// active). A cfg that does not parse counts as true: the item is kept,
    /// and rustc's verdict on it stands.
    pub(crate) fn active(&self, attrs: &[Attribute]) -> bool {
        attrs
            .iter()
            .filter(|a| a.path().is_ident("cfg"))
            .all(|attr| attr.parse_args::<Meta>().map_or(true, |predicate| self.eval(&predicate)))
    }

    /// Evaluates one predicate: `name`, `key = "value"`, `all(..)`, `any(..)`,
    /// `not(..)`, `true`, `false`.
    pub(crate) fn eval(&self, predicate: &Meta) -> bool {
        match predicate {
            Meta::Path(path) => {
                let name = path_name(path);
                match name.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => self.names.contains(&name),
                }
            }
            Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(lit) => match &lit.lit {
                    Lit::Str(value) => self.pairs.contains(&(path_name(&nv.path), value.value())),
                    _ => false,
                },
                _ => false,
            },
            Meta::List(list) => {
                let Ok(inner) =
                    list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                else {
                    return true;
                };
                match path_name(&list.path).as_str() {
                    "all" => inner.iter().all(|p| self.eval(p)),
                    "any" => inner.iter().any(|p| self.eval(p)),
                    "not" => !inner.iter().next().is_some_and(|p| self.eval(p)),
                    _ => false,
                }
            }
        }
    }
}

/// `a::b` as a string (cfg names are single identifiers in practice).
fn path_name(path: &syn::Path) -> String {
    path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> CfgSet {
        CfgSet::new("unix\ntarget_os=\"linux\"\ndebug_assertions\n", &["runtime".to_owned()])
    }

    fn active(src: &str) -> bool {
        let item: syn::ItemFn = syn::parse_str(&format!("{src} fn f() {{}}")).unwrap();
        set().active(&item.attrs)
    }

    #[test]
    fn names_pairs_and_features() {
        assert!(active("#[cfg(unix)]"));
        assert!(!active("#[cfg(windows)]"));
        assert!(active("#[cfg(target_os = \"linux\")]"));
        assert!(!active("#[cfg(target_os = \"macos\")]"));
        assert!(active("#[cfg(feature = \"runtime\")]"));
        assert!(!active("#[cfg(feature = \"js\")]"));
        assert!(!active("#[cfg(test)]"));
        assert!(active("#[doc = \"no cfg\"]"));
    }

    #[test]
    fn combinators() {
        assert!(active("#[cfg(all(unix, feature = \"runtime\"))]"));
        assert!(!active("#[cfg(all(unix, test))]"));
        assert!(active("#[cfg(any(windows, unix))]"));
        assert!(active("#[cfg(not(test))]"));
        assert!(!active("#[cfg(not(any(unix, test)))]"));
        assert!(!active("#[cfg(unix)] #[cfg(test)]"));
        assert!(active("#[cfg(all())]") && !active("#[cfg(any())]"));
    }
}
