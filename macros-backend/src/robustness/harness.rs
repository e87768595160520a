//! Runs one expansion under `catch_unwind` and classifies the result:
//! expanded cleanly, rejected with a `compile_error!`, panicked, or emitted
//! tokens that do not parse back as items (as tokens, or after a round trip
//! through text: see `common::check`).

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use proc_macro2::TokenStream;

use crate::common::check::{Checked, check_expansion, made_async};

/// An expansion function: [`BRIDGE`] or [`DUAL`].
pub(super) type Expand = fn(TokenStream, TokenStream) -> TokenStream;

/// `#[bridge]`'s entry point, as the proc-macro shim calls it.
pub(super) const BRIDGE: Expand = crate::bridge;

/// `#[dual]`'s entry point, as the proc-macro shim calls it (`dual_in_file`;
/// no file: the harnesses' items have no `include!`).
pub(super) const DUAL: Expand = |args, item| crate::dual_in_file(args, item, None);

/// What one expansion did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Outcome {
    /// Items without a top-level `compile_error!`.
    Expanded,
    /// Items with at least one top-level `compile_error!` (the macro's error).
    Rejected,
    /// The expansion panicked, with this message and location.
    Panicked(String),
    /// The output does not parse as items (for an input that parses as an
    /// item), or lacks a `compile_error!` (for one that does not): why, and
    /// the output.
    Unparsable(String),
}

thread_local! {
    /// Set while [`run`] expands on this thread: the panic hook records the
    /// message here instead of printing it.
    static CAPTURE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that captures panics of [`run`] and forwards
/// every other panic to the previous hook.
fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let captured = CAPTURE.with(|slot| {
                let mut slot = slot.borrow_mut();
                let capturing = slot.is_some();
                if capturing {
                    *slot = Some(info.to_string());
                }
                capturing
            });
            if !captured {
                previous(info);
            }
        }));
    });
}

/// Expands `item` with `args` through `expand`, catching a panic, and
/// checks the output as the real attribute's would be ([`check_expansion`]:
/// parsed as tokens and after a round trip through text).
pub(super) fn run(expand: Expand, args: &TokenStream, item: &TokenStream) -> Outcome {
    install_hook();
    CAPTURE.with(|slot| *slot.borrow_mut() = Some(String::new()));
    let result = panic::catch_unwind(AssertUnwindSafe(|| expand(args.clone(), item.clone())));
    let message = CAPTURE.with(|slot| slot.borrow_mut().take()).unwrap_or_default();
    match result {
        Err(_) => Outcome::Panicked(message),
        Ok(output) => match check_expansion(item, &output) {
            Checked::Expanded => Outcome::Expanded,
            Checked::Rejected => Outcome::Rejected,
            Checked::Unparsable(why) => Outcome::Unparsable(why),
        },
    }
}

/// Expands through both [`BRIDGE`] and [`DUAL`] and asserts that neither
/// panics and both emit items; so does each on `item` with every fn made
/// async ([`made_async`]: `#[dual]` rewrites async bodies only, and a shape
/// written in a sync fn reaches the rewrite only so). Returns the outcomes
/// on `item` as written.
pub(super) fn assert_robust(args: &TokenStream, item: &TokenStream) -> [Outcome; 2] {
    let outcomes = both(args, item);
    if let Some(made) = made_async(item) {
        both(args, &made);
    }
    outcomes
}

/// [`assert_robust`] on `item` as given.
fn both(args: &TokenStream, item: &TokenStream) -> [Outcome; 2] {
    let outcomes = [run(BRIDGE, args, item), run(DUAL, args, item)];
    for (name, outcome) in ["bridge", "dual"].iter().zip(&outcomes) {
        assert!(
            matches!(outcome, Outcome::Expanded | Outcome::Rejected),
            "#[{name}({args})] on `{item}`: {outcome:?}"
        );
    }
    outcomes
}
