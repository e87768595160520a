//! The typed middle of `#[dual]`: what one invocation knows about its own
//! items ([`Scope`]: which calls have a twin, under which name) and the
//! per-twin settings the rewrite needs ([`Twin`]).

use std::collections::HashMap;
use syn::{Ident, Path};

/// The items of one invocation whose blocking twins the rewrite can call.
#[derive(Default, Clone)]
pub(crate) struct Scope {
    /// Async free fns: name → twin name (`fetch` → `blocking_fetch`; the same
    /// name in the mod form).
    pub(crate) fns: HashMap<String, Ident>,
    /// Async methods (of the impl, trait or any type of the mod): name → twin name.
    pub(crate) methods: HashMap<String, Ident>,
    /// Names a path may start with to reach `methods` (`Self`, the impl's type).
    pub(crate) self_names: Vec<String>,
    /// The mod form: a call through any path or receiver whose last name is
    /// one of ours counts as ours (the copies have the same names).
    pub(crate) any_path: bool,
    /// The trait and trait impl forms: the async trait's name and the
    /// blocking trait's, so `Store::get(self, k)` becomes `BlockingStore::get(self, k)`.
    pub(crate) trait_rename: Option<(String, Ident)>,
}

impl Scope {
    /// The twin of a call to `path`, if `path` names an item of this invocation.
    pub(crate) fn fn_twin(&self, path: &Path) -> Option<&Ident> {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let last = segments.last()?;
        match segments.len() {
            1 if path.leading_colon.is_none() => self.fns.get(last),
            2 if self.self_names.contains(&segments[0]) => self.methods.get(last),
            _ if self.any_path => self.fns.get(last).or_else(|| self.methods.get(last)),
            _ => None,
        }
    }

    /// The twin of a method call `receiver.method(..)`, if it is one of ours.
    pub(crate) fn method_twin(&self, receiver: &syn::Expr, method: &Ident) -> Option<&Ident> {
        let is_self = matches!(receiver, syn::Expr::Path(p) if p.path.is_ident("self"));
        if is_self || self.any_path { self.methods.get(&method.to_string()) } else { None }
    }
}

/// Settings of the twin being produced.
pub(crate) struct Twin {
    /// The twin's name, for `block_on` bridges' diagnostics.
    pub(crate) label: String,
    /// `strict`: a foreign `.await` is an error.
    pub(crate) strict: bool,
    /// The facade's path (`::twoworlds` or the `crate = ..` override).
    pub(crate) krate: Path,
    /// The `tokio_to_std` preset is on: its io methods are sync after it.
    pub(crate) tokio_to_std: bool,
}
