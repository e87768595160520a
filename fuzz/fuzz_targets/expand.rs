//! Fuzz target: arbitrary bytes → attribute arguments + item tokens →
//! `#[bridge]` and `#[dual]` expansion, through the entry points the
//! attributes call. A panic is a crash; so is output that does not parse as
//! items when the input was an item (as tokens, or after the round trip
//! through text rustc's re-parse amounts to), and an unparsable input that
//! comes back without a `compile_error!` (`check_expansion`, the check the
//! corpus test makes too).
//!
//! An item with sync fns is also tried with every fn made async
//! (`made_async`): `#[dual]` rejects a sync item before any rewrite, so
//! mutations of the sync seeds never reached the rewrite, and no seed had
//! struct update syntax (`seeds/expand/struct_update` now does): issue 14's
//! `S { a, ..Default::default() }` panic went unseen.
#![no_main]

use std::str::FromStr as _;

use libfuzzer_sys::fuzz_target;
use proc_macro2::TokenStream;
use twoworlds_fuzz::{Checked, check_expansion, made_async};

fuzz_target!(|data: &[u8]| {
    let Some((&split, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    // The first byte picks where the attribute arguments end and the item
    // starts (at a char boundary); the whole text as the item is tried too.
    let mut at = usize::from(split) % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let (args, item) = text.split_at(at);
    let (Ok(args), Ok(item), Ok(whole)) =
        (TokenStream::from_str(args), TokenStream::from_str(item), TokenStream::from_str(text))
    else {
        return;
    };
    let mut cases = vec![(args.clone(), item.clone()), (TokenStream::new(), whole.clone())];
    for (args, item) in [(args, item), (TokenStream::new(), whole)] {
        if let Some(made) = made_async(&item) {
            cases.push((args, made));
        }
    }
    for (args, item) in cases {
        check("bridge", &args, &item, twoworlds_fuzz::bridge(args.clone(), item.clone()));
        let dual = twoworlds_fuzz::dual_in_file(args.clone(), item.clone(), None);
        check("dual", &args, &item, dual);
    }
});

/// The output property of one expansion (the panic property is libFuzzer's).
fn check(name: &str, args: &TokenStream, item: &TokenStream, output: TokenStream) {
    if let Checked::Unparsable(why) = check_expansion(item, &output) {
        panic!("#[{name}({args})] {item}\n→ {why}");
    }
}
