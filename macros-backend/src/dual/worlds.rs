//! The two copies of an annotated item, one per world, before any fn is
//! rewritten: per-world markers resolved in each, `replace(..)` rules applied
//! to the blocking one, and every async fn numbered first ([`super::fn_ids`])
//! so the forms can pair a fn of one copy with the same fn of the other.

use super::instrument;
use super::markers::{World, keep_world};
use super::options::Args;
use crate::common::Errors;
use syn::Item;

/// The async copy (markers resolved) and the blocking copy (markers
/// resolved, replacements applied, no `#[allow_blocking]`) of `item`, with
/// their async fns numbered alike. Forms lint and watch the async copy with
/// [`instrument::instrument`].
pub(crate) fn split(item: &Item, args: &Args, errors: &mut Errors) -> (Item, Item) {
    let mut numbered = item.clone();
    super::fn_ids::mark(&mut numbered);
    let mut async_copy = numbered.clone();
    keep_world(World::Async, &mut async_copy, errors);
    let mut blocking = numbered;
    // Markers errors are reported once, from the async pass.
    keep_world(World::Blocking, &mut blocking, &mut Errors::default());
    if args.has_replacements {
        args.replacements.apply(&mut blocking);
    }
    instrument::strip_markers(&mut blocking);
    (async_copy, blocking)
}

/// The async copy of [`split`] alone, for a version with no blocking world
/// (the plain one, see [`super::cfgs`]).
pub(crate) fn async_copy(item: &Item, errors: &mut Errors) -> Item {
    let mut async_copy = item.clone();
    super::fn_ids::mark(&mut async_copy);
    keep_world(World::Async, &mut async_copy, errors);
    async_copy
}
