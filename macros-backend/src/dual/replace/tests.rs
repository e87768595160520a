//! Unit tests of path replacement: parsing `replace(..)`, each kind of path
//! owner, `use` trees, aliases, doc text and macro arguments.

use super::Replacements;
use quote::ToTokens;
use syn::parse::Parser;

/// Rules parsed from the inside of `replace(..)`.
fn rules(list: &str) -> Replacements {
    let mut rules = Replacements::new();
    let parser = |input: syn::parse::ParseStream<'_>| rules.parse_list(input);
    parser.parse_str(list).expect("valid replace list");
    rules
}

/// The errors of parsing `list`, as messages.
fn errors(list: &str) -> Vec<String> {
    let mut rules = Replacements::new();
    let parser = |input: syn::parse::ParseStream<'_>| rules.parse_list(input);
    match parser.parse_str(list) {
        Ok(()) => Vec::new(),
        Err(error) => error.into_iter().map(|e| e.to_string()).collect(),
    }
}

/// `item` after applying `rules`, printed as tokens.
fn applied(rules: &Replacements, item: &str) -> String {
    let mut item: syn::Item = syn::parse_str(item).expect("valid item");
    rules.apply(&mut item);
    item.to_token_stream().to_string()
}

/// `item` printed as tokens, to compare with [`applied`].
fn tokens(item: &str) -> String {
    let item: syn::Item = syn::parse_str(item).expect("valid expected item");
    item.to_token_stream().to_string()
}

/// The preset alone.
fn preset() -> Replacements {
    let mut rules = Replacements::new();
    rules.add_tokio_to_std();
    rules
}

#[test]
fn expression_paths_by_longest_prefix() {
    let rules = rules("tokio::fs => std::fs, tokio::fs::read => my::read");
    assert_eq!(
        applied(
            &rules,
            "fn f() { tokio::fs::read(p); tokio::fs::write(p, b); ::tokio::fs::copy(a, b); }"
        ),
        tokens("fn f() { my::read(p); std::fs::write(p, b); std::fs::copy(a, b); }"),
    );
}

#[test]
fn a_segment_prefix_is_not_a_name_prefix() {
    let rules = rules("tokio::fs::read => std::fs::read");
    assert_eq!(
        applied(&rules, "fn f() { tokio::fs::read_to_string(p); tokio::fsx::read(p); }"),
        tokens("fn f() { tokio::fs::read_to_string(p); tokio::fsx::read(p); }"),
    );
}

#[test]
fn types_patterns_bounds_and_trait_headers() {
    let rules = rules("a::Thing => b::Other, a::Tr => b::Tr2");
    assert_eq!(
        applied(
            &rules,
            "fn f<T: a::Tr>(x: a::Thing<u8>) -> Vec<a::Thing> where T: a::Tr { \
             let a::Thing { v } = x; if let a::Thing(_) = y {} match z { a::Thing::A => {} } \
             a::Thing { v: 1 }; <T as a::Tr>::go(); a::Thing::<u8>::new() }",
        ),
        tokens(
            "fn f<T: b::Tr2>(x: b::Other<u8>) -> Vec<b::Other> where T: b::Tr2 { \
             let b::Other { v } = x; if let b::Other(_) = y {} match z { b::Other::A => {} } \
             b::Other { v: 1 }; <T as b::Tr2>::go(); b::Other::<u8>::new() }",
        ),
    );
    assert_eq!(applied(&rules, "impl a::Tr for S {}"), tokens("impl b::Tr2 for S {}"));
}

#[test]
fn qualified_paths_only_replace_the_trait_part() {
    let rules = rules("m::Tr => ::n::deep::Tr, go => went");
    let mut item: syn::Item = syn::parse_str("fn f() { <T as m::Tr>::go(); <T>::go(); }").unwrap();
    rules.apply(&mut item);
    let text = item.to_token_stream().to_string();
    assert_eq!(text, tokens("fn f() { <T as ::n::deep::Tr>::go(); <T>::go(); }"));
    // The qualifier's position moved with the longer trait path.
    let syn::Item::Fn(function) = item else { panic!("not a fn") };
    let syn::Stmt::Expr(syn::Expr::Call(call), _) = &function.block.stmts[0] else { panic!() };
    let syn::Expr::Path(path) = &*call.func else { panic!("not a path") };
    assert_eq!(path.qself.as_ref().map(|q| q.position), Some(3));
}

#[test]
fn generic_arguments_of_the_last_replaced_segment_carry_over() {
    let rules = rules("tokio::sync::Mutex => parking::Mutex");
    assert_eq!(
        applied(&rules, "struct S { m: tokio::sync::Mutex<Vec<tokio::sync::Mutex<u8>>> }"),
        tokens("struct S { m: parking::Mutex<Vec<parking::Mutex<u8>>> }"),
    );
}

#[test]
fn grouped_use_trees_are_split_and_regrouped() {
    let rules = preset();
    assert_eq!(
        applied(&rules, "use tokio::io::{AsyncReadExt, BufReader, self, stdin as input, split};"),
        tokens(
            "#[allow(unused_imports)] \
             use {::std::io::{Read as AsyncReadExt, BufReader, stdin as input}, \
             tokio::io::{self, split}};",
        ),
    );
    assert_eq!(
        applied(&rules, "use tokio::{net::TcpStream, time::{sleep, Duration}};"),
        tokens("use ::std::{net::TcpStream, thread::sleep, time::Duration};"),
    );
    assert_eq!(applied(&rules, "use ::tokio::fs::read;"), tokens("use ::std::fs::read;"));
    assert_eq!(applied(&rules, "use tokio::sync::Mutex;"), tokens("use tokio::sync::Mutex;"));
}

#[test]
fn use_of_a_replaced_module_and_globs() {
    let rules = rules("tokio::fs => blocking_fs, a::b => c::d");
    assert_eq!(applied(&rules, "use tokio::fs;"), tokens("use blocking_fs as fs;"));
    assert_eq!(applied(&rules, "use tokio::fs::{self};"), tokens("use blocking_fs::{self as fs};"));
    assert_eq!(applied(&rules, "pub use a::b::*;"), tokens("pub use c::d::*;"));
    assert_eq!(applied(&rules, "use a::b::{x as y};"), tokens("use c::d::x as y;"));
}

#[test]
fn names_of_used_modules_are_followed() {
    let rules = preset();
    assert_eq!(
        applied(
            &rules,
            "mod m { use tokio::{fs, io as tio}; fn f() { fs::read(p); tio::BufReader::new(r); fs::not_mapped(p); } }",
        ),
        tokens(
            "mod m { #[allow(unused_imports)] use tokio::{fs, io as tio}; \
             fn f() { ::std::fs::read(p); ::std::io::BufReader::new(r); fs::not_mapped(p); } }",
        ),
    );
}

#[test]
fn a_name_used_from_two_places_is_not_followed() {
    let rules = preset();
    let item =
        "mod m { mod a { use tokio::fs; } mod b { use crate::fs; } fn f() { fs::read(p); } }";
    assert_eq!(applied(&rules, item), tokens(item));
}

#[test]
fn doc_text_and_links() {
    let rules = preset();
    assert_eq!(
        applied(
            &rules,
            "/// Reads with [`tokio::fs::read_to_string`], sleeps with tokio::time::sleep.\n\
             /// Words like read or fs alone stay; so does tokio::sync::Mutex.\n\
             fn f() {}",
        ),
        tokens(
            "/// Reads with [`std::fs::read_to_string`], sleeps with std::thread::sleep.\n\
             /// Words like read or fs alone stay; so does tokio::sync::Mutex.\n\
             fn f() {}",
        ),
    );
}

#[test]
fn other_attributes_are_left_alone() {
    let rules = rules("tokio => other");
    assert_eq!(
        applied(&rules, "#[tokio::test] #[cfg(tokio::x)] pub(in tokio::m) fn f() {}"),
        tokens("#[tokio::test] #[cfg(tokio::x)] pub(in tokio::m) fn f() {}"),
    );
}

#[test]
fn macro_arguments_are_rewritten_token_by_token() {
    let rules = preset();
    assert_eq!(
        applied(
            &rules,
            "fn f() { println!(\"{}\", tokio::fs::read(p).await?.len()); \
             assert!(vec![tokio::io::stdin()].len() == x.tokio::fs::read); tokio::fs::read!(); }",
        ),
        tokens(
            "fn f() { println!(\"{}\", ::std::fs::read(p).await?.len()); \
             assert!(vec![::std::io::stdin()].len() == x.tokio::fs::read); ::std::fs::read!(); }",
        ),
    );
}

#[test]
fn the_preset_maps_the_one_to_one_apis() {
    let rules = preset();
    assert_eq!(
        applied(
            &rules,
            "async fn f(s: tokio::net::TcpStream) -> tokio::io::Result<()> { \
             tokio::time::sleep(tokio::time::Duration::from_millis(1)).await; \
             tokio::fs::try_exists(p).await?; Ok(()) }",
        ),
        tokens(
            "async fn f(s: ::std::net::TcpStream) -> ::std::io::Result<()> { \
             ::std::thread::sleep(::std::time::Duration::from_millis(1)).await; \
             ::std::fs::exists(p).await?; Ok(()) }",
        ),
    );
    assert_eq!(
        applied(&rules, "fn f() { tokio::fs::read_dir(p); tokio::sync::Mutex::new(p); }"),
        tokens("fn f() { ::std::fs::read_dir(p); tokio::sync::Mutex::new(p); }"),
    );
}

#[test]
fn user_rules_override_the_preset_in_either_order() {
    let mut before = rules("tokio::time::sleep => my::sleep");
    before.add_tokio_to_std();
    let mut after = preset();
    let parser = |input: syn::parse::ParseStream<'_>| after.parse_list(input);
    parser.parse_str("tokio::time::sleep => my::sleep").unwrap();
    for rules in [&before, &after] {
        assert_eq!(
            applied(rules, "fn f() { tokio::time::sleep(d); }"),
            tokens("fn f() { my::sleep(d); }")
        );
    }
    after.add_tokio_to_std();
    assert_eq!(
        applied(&after, "fn f() { tokio::time::sleep(d); }"),
        tokens("fn f() { my::sleep(d); }")
    );
}

#[test]
fn no_rules_change_nothing() {
    let rules = Replacements::new();
    assert!(rules.is_empty());
    let item = "use tokio::fs; fn f() {}";
    let item = item.split(';').next().unwrap_or_default().to_owned() + ";";
    assert_eq!(applied(&rules, &item), tokens(&item));
}

#[test]
fn malformed_lists_say_the_expected_form() {
    let expected = "expected `replace(from::path => to::path, ..)`";
    for list in ["", "a::b", "a::b =>", "a::b => 3", "=> c", "a::b -> c", "a::b => c d => e"] {
        let found = errors(list);
        assert!(!found.is_empty(), "no error for {list:?}");
        assert!(found.iter().all(|e| e.contains(expected)), "{list:?}: {found:?}");
    }
    let generic = errors("a::B<T> => c::D");
    assert!(generic[0].contains("generic arguments are not allowed"), "{generic:?}");
}

#[test]
fn every_malformed_entry_is_reported_and_good_ones_kept() {
    let mut rules = Replacements::new();
    let parser = |input: syn::parse::ParseStream<'_>| rules.parse_list(input);
    let error = parser.parse_str("a => , b::c => d, e f, g => h").unwrap_err();
    assert_eq!(error.into_iter().count(), 2);
    assert_eq!(applied(&rules, "fn f() { b::c(); g(); }"), tokens("fn f() { d(); h(); }"));
}

#[test]
fn duplicate_from_paths_are_errors() {
    let found = errors("a::b => c, x => y, ::a::b => d");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("duplicate replacement for `a::b`"), "{found:?}");
    assert!(found[1].contains("first replaced here"), "{found:?}");
}
