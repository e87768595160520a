//! `#[dual]` with world cfgs expands in two stages, so that a consumer's
//! build expands only the version of the item its cfgs select (see
//! [`super::cfgs`]). The first stage parses the options alone, not the item:
//! it puts the item, as written, under one `#[dual]` per version, each with
//! that version named and under that version's cfg (a `cfg_attr`). rustc
//! settles the `cfg_attr`s before the attribute macros run, and the second
//! stage expands the item under the one `#[dual]` left as that version: its
//! async items ungated, and its blocking items only where the version has
//! them. Without world cfgs, or with an error in the options (reported by
//! the one-stage expansion), the item expands in one stage, as before.

use super::cfgs::Version;
use super::options::Args;
use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::quote;

/// The option that names the version of a second stage. Not an option a
/// user writes: only the first stage's output spells it.
const STAGE: &str = "__twoworlds_stage";

// Input: the options of a `#[dual(..)]`.
// Output: the version named by a leading `__twoworlds_stage = <version>,`
// (a second stage), and the options after it.
/// Takes the second stage's version off the front of `args`.
pub(crate) fn take(args: TokenStream) -> (Option<Version>, TokenStream) {
    let mut trees = args.clone().into_iter();
    let (Some(TokenTree::Ident(key)), Some(TokenTree::Punct(eq)), Some(TokenTree::Ident(name))) =
        (trees.next(), trees.next(), trees.next())
    else {
        return (None, args);
    };
    let version = match name.to_string().as_str() {
        "full" => Version::Full,
        "plain" => Version::Plain,
        "shell" => Version::Shell,
        _ => return (None, args),
    };
    if key != STAGE || eq.as_char() != '=' {
        return (None, args);
    }
    // The comma after the version, if any options follow.
    let rest: TokenStream =
        trees.skip_while(|tt| matches!(tt, TokenTree::Punct(p) if p.as_char() == ',')).collect();
    (Some(version), rest)
}

// Input: `#[dual(args)] item`, `args` parsed without error and naming at
// least one world cfg.
// Output: `#[cfg(any(c1, .., cn))]` and, for each version `v` with cfg `c`,
//     `#[cfg_attr(c, <krate>::dual(__twoworlds_stage = v, args))]`, then `item`.
/// The first stage: the item once, with one `#[dual]` per version under
/// that version's cfg, to be expanded again. The versions' cfgs exclude
/// each other, so at most one `#[dual]` is left; the `cfg(any(..))` drops
/// the item where none is (both worlds off), as the versions drop their
/// items. One copy rather than one per version: rustc would parse (and
/// then drop) every copy of the item whose cfg is off.
pub(crate) fn first(args: &TokenStream, parsed: &Args, item: &TokenStream) -> TokenStream {
    let krate = parsed.krate();
    let span = Span::call_site();
    let stage = Ident::new(STAGE, span);
    let comma = (!args.is_empty()).then(|| quote!(,));
    let mut cfgs = Vec::new();
    let mut attrs = TokenStream::new();
    for (cfg, version) in parsed.cfgs.all_versions() {
        let name = Ident::new(version.name(), span);
        let dual = quote!(#krate::dual(#stage = #name #comma #args));
        match cfg {
            Some(cfg) => {
                attrs.extend(quote!(#[cfg_attr(#cfg, #dual)]));
                cfgs.push(cfg);
            }
            None => attrs.extend(quote!(#[#dual])),
        }
    }
    let mut out =
        if cfgs.is_empty() { TokenStream::new() } else { quote!(#[cfg(any(#(#cfgs),*))]) };
    out.extend(attrs);
    out.extend(item.clone());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stage_is_taken_off_the_front_only() {
        let (version, rest) = take(quote!(__twoworlds_stage = plain, blocking_cfg(any())));
        assert_eq!(version, Some(Version::Plain));
        assert_eq!(rest.to_string(), "blocking_cfg (any ())");
        let (version, rest) = take(quote!(__twoworlds_stage = shell));
        assert_eq!((version, rest.is_empty()), (Some(Version::Shell), true));
        let (version, rest) = take(quote!(blocking = b, __twoworlds_stage = full));
        assert_eq!(version, None);
        assert_eq!(rest.to_string(), "blocking = b , __twoworlds_stage = full");
        assert_eq!(take(quote!(__twoworlds_stage = other)).0, None);
    }

    #[test]
    fn the_first_stage_puts_one_copy_under_each_cfg() {
        let args = quote!(blocking_cfg(feature = "b"), crate = my::tw);
        let out = crate::dual::expand(
            args,
            quote!(
                async fn f() {}
            ),
        )
        .to_string();
        assert_eq!(out.matches("async fn f").count(), 1, "{out}");
        assert!(
            out.starts_with(
                "# [cfg (any (feature = \"b\" , not (feature = \"b\")))] # [cfg_attr (feature \
                 = \"b\" , my :: tw :: dual (__twoworlds_stage = full , blocking_cfg"
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "# [cfg_attr (not (feature = \"b\") , my :: tw :: dual (__twoworlds_stage = plain ,"
            ),
            "{out}"
        );
        let both = crate::dual::expand(
            quote!(blocking_cfg(b), async_cfg(a)),
            quote!(
                async fn f() {}
            ),
        );
        let both = both.to_string();
        assert_eq!(both.matches("async fn f").count(), 1, "{both}");
        assert_eq!(both.matches("__twoworlds_stage").count(), 3, "{both}");
        // Both worlds off: no version, no item.
        assert!(
            both.starts_with("# [cfg (any (all (a , b) , all (a , not (b)) , all (not (a) , b)))]"),
            "{both}"
        );
    }

    #[test]
    fn an_option_error_expands_in_one_stage() {
        let out = crate::dual::expand(
            quote!(blocking_cfg(any()), nope),
            quote!(
                async fn f() {}
            ),
        );
        let out = out.to_string();
        assert!(out.contains("compile_error") && !out.contains(STAGE), "{out}");
    }
}
