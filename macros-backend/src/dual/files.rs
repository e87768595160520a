//! A `#[dual] mod` whose items live in files: `#[dual] mod client {
//! include!("client/items.rs"); }` (rustc does not allow attribute macros on
//! `mod client;` on stable: E0658). The macro reads the included file itself,
//! and the files of the `mod x;` declarations in it, found as rustc finds
//! them for an inline `mod client` in the invoking file, and inlines them
//! (in both twins). Each file read is registered with an
//! `include_bytes!` of it, so cargo rebuilds when it changes; a missing or
//! unreadable file is an error spanned on its `include!` or `mod x;`.
//!
//! Input:  `mod client { include!("client/items.rs"); }` in `src/lib.rs`,
//!         `src/client/items.rs` holding `pub mod conn; pub async fn f() {..}`.
//! Output: `mod client { pub mod conn { <src/client/conn.rs> } pub async fn f() {..}
//!          const _: &[u8] = include_bytes!("/abs/src/client/items.rs"); .. }`.

use crate::common::Errors;
use std::path::{Path, PathBuf};
use syn::{Item, ItemMod};

/// Inlines the included files and file modules of `module`, declared in the
/// file `invoking` (`None` when the invoking file is not known, as in the
/// expansion functions' tests: then an `include!` is an error).
pub(crate) fn inline(module: &mut ItemMod, invoking: Option<&Path>, errors: &mut Errors) {
    let Some((_, items)) = &mut module.content else { return };
    if !items.iter().any(is_include) {
        return;
    }
    let Some(invoking) = invoking else {
        errors.push(syn::Error::new(
            module.ident.span(),
            "#[dual] cannot read the files of this module: the file it is written in is not \
             known here (rustc ≥ 1.88 tells it to proc macros)",
        ));
        return;
    };
    let include_dir = invoking.parent().unwrap_or(Path::new("")).to_path_buf();
    let module_dir = module_dir_of_inline(invoking, &module.ident.to_string());
    let mut reader = Reader { read: Vec::new(), errors };
    let taken = std::mem::take(items);
    let mut out = Vec::new();
    for item in taken {
        if is_include(&item) {
            out.extend(reader.include(&item, &include_dir));
        } else {
            out.push(item);
        }
    }
    for item in &mut out {
        reader.file_modules(item, &module_dir);
    }
    for path in &reader.read {
        let path = path.to_string_lossy().into_owned();
        out.push(syn::parse_quote!(
            const _: &[u8] = ::core::include_bytes!(#path);
        ));
    }
    *items = out;
}

/// Whether `item` is `include!("..");`.
fn is_include(item: &Item) -> bool {
    matches!(item, Item::Macro(m) if m.mac.path.segments.last().is_some_and(|s| s.ident == "include"))
}

/// The directory rustc looks in for the `mod x;` of an inline `mod name` in
/// the file `invoking`: beside it for `lib.rs`, `main.rs` and `mod.rs`,
/// else in a directory named after the file.
fn module_dir_of_inline(invoking: &Path, name: &str) -> PathBuf {
    let dir = invoking.parent().unwrap_or(Path::new("")).to_path_buf();
    let stem = invoking.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let base = if matches!(stem.as_str(), "lib" | "main" | "mod") { dir } else { dir.join(stem) };
    base.join(name)
}

/// Reads files, recording them and the errors.
struct Reader<'a> {
    /// The files read, to register.
    read: Vec<PathBuf>,
    /// Where errors go.
    errors: &'a mut Errors,
}

impl Reader<'_> {
    /// The items of the file an `include!` names (relative to `include_dir`);
    /// their `mod x;` are inlined by the caller.
    fn include(&mut self, item: &Item, include_dir: &Path) -> Vec<Item> {
        let Item::Macro(m) = item else { return Vec::new() };
        let Ok(lit) = m.mac.parse_body::<syn::LitStr>() else {
            self.errors.push(syn::Error::new_spanned(
                &m.mac,
                "#[dual] reads `include!(\"path\")` with one string literal only",
            ));
            return Vec::new();
        };
        let path = include_dir.join(lit.value());
        self.parse(&path, &lit).map(|file| file.items).unwrap_or_default()
    }

    /// Inlines `mod x;` (at any depth inside `item`) from `dir`, the
    /// directory of the module that holds `item`.
    fn file_modules(&mut self, item: &mut Item, dir: &Path) {
        let Item::Mod(m) = item else { return };
        let name = m.ident.to_string();
        if let Some((_, items)) = &mut m.content {
            let inner = dir.join(&name);
            for item in items {
                self.file_modules(item, &inner);
            }
            return;
        }
        let Some(path) = self.find(m, dir) else { return };
        let Some(file) = self.parse(&path, &m.ident) else { return };
        // The file's inner attributes (`#![allow(..)]`) go on the module.
        m.attrs.extend(file.attrs.into_iter().map(|mut attr| {
            attr.style = syn::AttrStyle::Outer;
            attr
        }));
        let inner = dir.join(&name);
        let mut items = file.items;
        for item in &mut items {
            self.file_modules(item, &inner);
        }
        m.content = Some((syn::token::Brace::default(), items));
        m.semi = None;
    }

    /// The file of `mod x;` in `dir`: `#[path = ".."]` (relative to `dir`), else `x.rs`, else
    /// `x/mod.rs`; `None` after reporting that none exists.
    fn find(&mut self, m: &mut ItemMod, dir: &Path) -> Option<PathBuf> {
        let explicit = m.attrs.iter().position(|a| a.path().is_ident("path"));
        if let Some(index) = explicit {
            let attr = m.attrs.remove(index);
            if let syn::Meta::NameValue(nv) = &attr.meta
                && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &nv.value
            {
                return Some(dir.join(s.value()));
            }
        }
        let name = m.ident.to_string();
        let candidates = [dir.join(format!("{name}.rs")), dir.join(&name).join("mod.rs")];
        if let Some(found) = candidates.iter().find(|p| p.is_file()) {
            return Some(found.clone());
        }
        self.errors.push(syn::Error::new(
            m.ident.span(),
            format!(
                "#[dual] cannot find the file of `mod {name};`: neither {} nor {} exists",
                candidates[0].display(),
                candidates[1].display()
            ),
        ));
        None
    }

    /// The parsed file at `path`, registered; `None` after reporting why not,
    /// spanned on `at`.
    fn parse(&mut self, path: &Path, at: &dyn quote::ToTokens) -> Option<syn::File> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) => {
                let message = format!("#[dual] cannot read {}: {error}", path.display());
                self.errors.push(syn::Error::new_spanned(at, message));
                return None;
            }
        };
        let file = match syn::parse_file(&text) {
            Ok(file) => file,
            Err(error) => {
                let message = format!("#[dual] cannot parse {}: {error}", path.display());
                self.errors.push(syn::Error::new_spanned(at, message));
                return None;
            }
        };
        self.read.push(path.canonicalize().unwrap_or_else(|_| path.to_path_buf()));
        Some(file)
    }
}
