//! Errors inside a blocking twin say that they are in the blocking twin.
//!
//! A twin's tokens are the original's, at the same places in the source: an
//! error rustc finds only in the twin would read as an error in the
//! original. So `#[dual]` emits each separately defined twin (a fn, the twin
//! methods of an impl, the blocking trait, the `blocking` module) inside a
//! hidden function-like macro, `blocking_twin!` (in the `twoworlds-macros`
//! shim, over `proc_macro`'s own types), that gives every token a
//! span of its own expansion (`Span::mixed_site()`, located where the token
//! was written). rustc then reports an error in the twin at the same place
//! with a note that it "originates in the macro `…::blocking_twin`" and a
//! label "in this macro invocation" on the original's name (the invocation's
//! tokens are located there): the blocking twin of which item. Lints do not
//! fire twice: rustc does not lint code of an external macro's expansion
//! (the original is linted as written).
//!
//! Hygiene holds because *every* token of the twin, signature and body,
//! gets the same expansion: locals, params and labels see each other as
//! before; items, types, lifetimes, fields and `crate`/`super` paths
//! resolve at the call site, where they did (every form's integration
//! tests build through it). What `#[dual]` itself adds to a twin loses the
//! hygiene that told it from the user's code, so its locals are prefixed
//! (`__twoworlds_runtime`). A body run inline by a `#[dual]` future
//! (trait impls) is not wrapped: it uses the async fn's params, which are
//! outside.
//!
//! Re-spanned tokens take the edition of the macro crate (2024), and
//! editions change what code means (temporaries of a tail expression, `if
//! let` scrutinees, what `impl Trait` captures): so only a crate of the
//! same edition gets the wrapper ([`same_edition`]); in any other, or when
//! the edition cannot be read, twins keep the spans of the source and their
//! errors read as the original's.
//!
//! In the second stage of a blocking-only build (the shell version, see
//! `super::cfgs`) twins are not wrapped ([`plain_twins`]): the async
//! original is not compiled there (its body is a shell), so an error or a
//! lint in the twin is the only one that code gets, reported at the code
//! as written, as in a crate of another edition; and the wrapper was a
//! sixth of such a build (a second proc macro over every twin's tokens).
//!
//! Input: `fn blocking_f(x: u32) -> u32 { body }`, the span of `f`.
//! Output: `::twoworlds::__private::blocking_twin! { fn blocking_f(..) .. }`
//! (the path and braces located at `f`), expanding to the same fn.

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};

/// `twin` (a whole item or associated item) inside the `blocking_twin!`
/// invocation whose own tokens are located at `original` (the name of the
/// item it is the twin of).
pub(crate) fn wrap(twin: &impl ToTokens, original: Span, krate: &syn::Path) -> TokenStream {
    if PLAIN.get() || !same_edition() {
        return twin.to_token_stream();
    }
    let path = located(quote!(#krate::__private::blocking_twin!), original);
    let mut body = Group::new(Delimiter::Brace, twin.to_token_stream());
    body.set_span(original);
    let mut out = path;
    out.extend([TokenTree::Group(body)]);
    out
}

std::thread_local! {
    /// Whether [`wrap`] leaves twins as they are, in the expansion running
    /// on this thread (see [`plain_twins`]). A thread-local rather than an
    /// argument: every form calls [`wrap`], and only the stage decides.
    static PLAIN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the expansion running on this thread leaves twins unwrapped
/// (a shell stage, see [`plain_twins`]).
pub(crate) fn unwrapped() -> bool {
    PLAIN.get()
}

/// Runs `expand` with [`wrap`] leaving twins unwrapped when `plain` (the
/// shell version's expansion, see the module docs).
pub(crate) fn plain_twins<T>(plain: bool, expand: impl FnOnce() -> T) -> T {
    /// Puts the previous setting back, also if `expand` unwinds.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            PLAIN.set(self.0);
        }
    }
    let _restore = Restore(PLAIN.replace(plain));
    expand()
}

/// The edition the macro crates are written in: that of every re-spanned
/// token.
const MACRO_EDITION: &str = "2024";

/// Whether the crate being compiled (the one `#[dual]` is used in) is of
/// [`MACRO_EDITION`], read from its manifest (cargo sets
/// `CARGO_MANIFEST_DIR` for it); `false` when that cannot be told. Kept per
/// manifest directory: a process that expands for several crates (an IDE's
/// proc-macro server) must not reuse another crate's answer.
fn same_edition() -> bool {
    type Seen = Option<(std::ffi::OsString, bool)>;
    static LAST: std::sync::Mutex<Seen> = std::sync::Mutex::new(None);
    let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") else { return false };
    let mut last = LAST.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((seen, same)) = &*last
        && *seen == dir
    {
        return *same;
    }
    let same = crate_edition(std::path::Path::new(&dir)).is_some_and(|e| e == MACRO_EDITION);
    *last = Some((dir, same));
    same
}

/// The edition of the package whose manifest is in `dir`: its `[package]`
/// `edition`, the workspace's (`edition.workspace = true`), or 2015 when
/// unset. Read line by line for this one key: a TOML parser in the proc
/// macro's dependencies would lengthen every user's build. `None` for a
/// manifest this does not understand.
fn crate_edition(dir: &std::path::Path) -> Option<String> {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    match key_in(&manifest, "package", "edition") {
        None => Some("2015".to_owned()),
        Some(Edition::Written(edition)) => Some(edition),
        Some(Edition::FromWorkspace) => dir.ancestors().skip(1).find_map(|parent| {
            let root = std::fs::read_to_string(parent.join("Cargo.toml")).ok()?;
            match key_in(&root, "workspace.package", "edition")? {
                Edition::Written(edition) => Some(edition),
                Edition::FromWorkspace => None,
            }
        }),
    }
}

/// What a manifest says of a package's edition.
enum Edition {
    /// `edition = "2021"`.
    Written(String),
    /// `edition.workspace = true` / `edition = { workspace = true }`.
    FromWorkspace,
}

/// The value of `key` in `[section]` of `manifest`.
fn key_in(manifest: &str, section: &str, key: &str) -> Option<Edition> {
    let mut current = "";
    for line in manifest.lines().map(str::trim) {
        if let Some(header) = line.strip_prefix('[') {
            current = header.trim_end_matches(']').trim();
            continue;
        }
        let Some((name, value)) = line.split_once('=') else { continue };
        let (name, value) = (name.trim(), value.split('#').next().unwrap_or("").trim());
        if current != section || !(name == key || name == format!("{key}.workspace")) {
            continue;
        }
        if name != key || value.contains("workspace") {
            return Some(Edition::FromWorkspace);
        }
        return Some(Edition::Written(value.trim_matches(['"', '\'']).to_owned()));
    }
    None
}

/// `tokens` (no groups), each set at `span`.
fn located(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            token.set_span(span);
            token
        })
        .collect()
}

/// Input: tokens with `…::blocking_twin! { item }` invocations (at any depth).
/// Output: the same with each replaced by its `item`: what rustc sees once
/// it expanded them (the robustness harnesses check that).
#[must_use]
pub(crate) fn unwrap_all(tokens: TokenStream) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(tokens.len());
    let mut index = 0;
    while index < tokens.len() {
        if let [TokenTree::Ident(name), TokenTree::Punct(bang), TokenTree::Group(body), ..] =
            &tokens[index..]
            && name == "blocking_twin"
            && bang.as_char() == '!'
        {
            // Drop the path before the name (`::twoworlds::__private::`):
            // what comes before it ends an item or attribute (`;`, a group).
            while matches!(out.last(), Some(TokenTree::Ident(_)))
                || matches!(out.last(), Some(TokenTree::Punct(p)) if p.as_char() == ':')
            {
                out.pop();
            }
            out.extend(unwrap_all(body.stream()));
            index += 3;
            continue;
        }
        out.push(match &tokens[index] {
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), unwrap_all(group.stream()));
                inner.set_span(group.span());
                TokenTree::Group(inner)
            }
            other => other.clone(),
        });
        index += 1;
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_twin_unwraps_to_itself() {
        let twin: syn::ItemFn = syn::parse_quote!(
            fn blocking_f(x: u32) -> u32 {
                x + 1
            }
        );
        let krate: syn::Path = syn::parse_quote!(::twoworlds);
        let wrapped = wrap(&twin, Span::call_site(), &krate);
        let text = wrapped.to_string();
        assert!(text.starts_with(":: twoworlds :: __private :: blocking_twin ! {"), "{text}");
        let around = quote!(struct A; #wrapped mod m { #wrapped });
        let expected = quote!(struct A; #twin mod m { #twin });
        assert_eq!(unwrap_all(around).to_string(), expected.to_string());
    }

    #[test]
    fn a_shell_stage_leaves_twins_unwrapped() {
        let twin: syn::ItemFn = syn::parse_quote!(
            fn blocking_f() {}
        );
        let krate: syn::Path = syn::parse_quote!(::twoworlds);
        let plain = plain_twins(true, || wrap(&twin, Span::call_site(), &krate));
        assert_eq!(plain.to_string(), quote!(#twin).to_string());
        // Put back after: this crate is of the macros' edition.
        let wrapped = wrap(&twin, Span::call_site(), &krate).to_string();
        assert!(wrapped.contains("blocking_twin !"), "{wrapped}");
    }

    #[test]
    fn editions_are_read_from_the_package_or_its_workspace() {
        let written = "[package]\nname = \"a\"\nedition = '2021' # old\n[dependencies]\n";
        assert!(
            matches!(key_in(written, "package", "edition"), Some(Edition::Written(e)) if e == "2021")
        );
        for inherited in
            ["[package]\nedition.workspace = true\n", "[package]\nedition = { workspace = true }\n"]
        {
            assert!(matches!(
                key_in(inherited, "package", "edition"),
                Some(Edition::FromWorkspace)
            ));
        }
        let elsewhere = "[package]\nname = \"a\"\n[workspace.package]\nedition = \"2024\"\n";
        assert!(key_in(elsewhere, "package", "edition").is_none());
        assert!(
            matches!(key_in(elsewhere, "workspace.package", "edition"), Some(Edition::Written(e)) if e == "2024")
        );
        // This crate: edition.workspace = true, the workspace's 2024.
        let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(crate_edition(here).as_deref(), Some(MACRO_EDITION));
    }
}
