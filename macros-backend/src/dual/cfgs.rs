//! Each world behind a cfg of the user's crate: `#[dual(blocking_cfg(feature
//! = "blocking"), async_cfg(feature = "async"))]`, so a consumer that
//! enables one world compiles only that one, and enabling both never breaks
//! anyone (the features stay additive).
//!
//! What is gated: the blocking world (twin fns, the blocking trait and its
//! blanket impl, the impls of an `#[async_trait]` trait's blocking twin, a
//! mod's `blocking` copy) by `blocking_cfg`; the async items by
//! `async_cfg`. The async items come in versions, each under its cfg
//! ([`WorldCfgs::versions`]): with both worlds, as always (their futures
//! know their blocking twins); with the async world alone, *plain* (no
//! `DualFuture`, nothing of the blocking world named); with the blocking
//! world alone, *shells*: the same signatures, whose futures only serve
//! the blocking twins that reach each other through them, with bodies that
//! are never compiled (awaiting one panics, naming the missing world).
//!
//! The versions are not expanded side by side: the first expansion only
//! puts the item under one `#[dual]` per version, each with its version
//! named and under its cfg ([`super::stages`]), so rustc keeps the one
//! whose cfg is on before any expansion runs, and a consumer's build
//! expands one version, not three ([`WorldCfgs::only`]).

use proc_macro2::TokenStream;
use quote::quote;

/// The cfg predicates of the two worlds (`None`: always on).
#[derive(Default, Clone)]
pub(crate) struct WorldCfgs {
    /// `blocking_cfg(..)`.
    pub(crate) blocking: Option<TokenStream>,
    /// `async_cfg(..)`.
    pub(crate) asynchronous: Option<TokenStream>,
    /// In the second expansion ([`super::stages`]): the one version to
    /// emit, whose cfg is known to be on.
    pub(crate) only: Option<Version>,
}

/// Which version of the async items to emit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Version {
    /// Both worlds: futures that know their blocking twins.
    Full,
    /// The async world alone: no `DualFuture`, no blocking world.
    Plain,
    /// The blocking world alone: the futures as shells, bodies not compiled.
    Shell,
}

impl Version {
    /// How the first stage names it ([`super::stages`]).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Version::Full => "full",
            Version::Plain => "plain",
            Version::Shell => "shell",
        }
    }
}

impl WorldCfgs {
    /// The versions of the async items to emit, each with the cfg it is
    /// under (`None`: unconditional).
    pub(crate) fn versions(&self) -> Vec<(Option<TokenStream>, Version)> {
        if let Some(version) = self.only {
            return vec![(None, version)];
        }
        self.all_versions()
    }

    /// Every version the cfgs call for, each with its cfg (whatever
    /// [`Self::only`] says).
    pub(crate) fn all_versions(&self) -> Vec<(Option<TokenStream>, Version)> {
        match (&self.asynchronous, &self.blocking) {
            (None, None) => vec![(None, Version::Full)],
            (None, Some(b)) => {
                vec![(Some(b.clone()), Version::Full), (Some(quote!(not(#b))), Version::Plain)]
            }
            (Some(a), None) => {
                vec![(Some(a.clone()), Version::Full), (Some(quote!(not(#a))), Version::Shell)]
            }
            (Some(a), Some(b)) => vec![
                (Some(quote!(all(#a, #b))), Version::Full),
                (Some(quote!(all(#a, not(#b)))), Version::Plain),
                (Some(quote!(all(not(#a), #b))), Version::Shell),
            ],
        }
    }

    /// `#[cfg(..)]` of the blocking world, if it is gated (and not known to
    /// be on: in the full and the shell versions it is).
    pub(crate) fn blocking_attr(&self) -> Option<syn::Attribute> {
        if matches!(self.only, Some(Version::Full | Version::Shell)) {
            return None;
        }
        self.blocking.as_ref().map(cfg_attr)
    }

    /// Whether the blocking world is known to be off: the plain version
    /// emits nothing of it.
    pub(crate) fn blocking_off(&self) -> bool {
        self.only == Some(Version::Plain)
    }

    /// Whether either world is gated.
    pub(crate) fn any(&self) -> bool {
        self.blocking.is_some() || self.asynchronous.is_some()
    }

    /// The message a shell's body panics with.
    pub(crate) fn shell_message(&self) -> String {
        let a = self.asynchronous.as_ref().map(ToString::to_string).unwrap_or_default();
        format!(
            "the async world of this `#[dual]` item is not compiled in (its `async_cfg({a})` is \
             off): this future only serves the blocking twins; turn the cfg on to await it"
        )
    }
}

/// Puts `#[cfg(predicate)]` on `item`, when there is one.
pub(crate) fn gate(item: &mut syn::Item, predicate: Option<&TokenStream>) {
    let Some(predicate) = predicate else { return };
    if let Some(attrs) = attrs_of(item) {
        attrs.insert(0, cfg_attr(predicate));
    }
}

/// `#[cfg(predicate)]`.
fn cfg_attr(predicate: &TokenStream) -> syn::Attribute {
    crate::common::list_attr("cfg", predicate.clone())
}

/// The attributes of `item`, for the item kinds `#[dual]` emits.
fn attrs_of(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        syn::Item::Fn(i) => Some(&mut i.attrs),
        syn::Item::Impl(i) => Some(&mut i.attrs),
        syn::Item::Trait(i) => Some(&mut i.attrs),
        syn::Item::Mod(i) => Some(&mut i.attrs),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_cover_each_combination_once() {
        let text = |cfgs: &WorldCfgs| {
            cfgs.versions()
                .into_iter()
                .map(|(cfg, v)| format!("{v:?}:{}", cfg.map(|c| c.to_string()).unwrap_or_default()))
                .collect::<Vec<_>>()
        };
        assert_eq!(text(&WorldCfgs::default()), ["Full:"]);
        let both =
            WorldCfgs { blocking: Some(quote!(b)), asynchronous: Some(quote!(a)), only: None };
        assert_eq!(
            text(&both),
            ["Full:all (a , b)", "Plain:all (a , not (b))", "Shell:all (not (a) , b)"]
        );
    }
}
