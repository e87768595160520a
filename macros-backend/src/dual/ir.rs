//! The typed middle of `#[dual]`: what the emit steps of every form share.
//! [`Twin`] holds the settings of one blocking twin's rewrite; [`Branch`] is
//! what the `#[dual]` future of one async fn runs when it is asked for its
//! blocking twin; [`FnId`] ties an async fn of the async copy to its
//! counterpart in the blocking copy.

use std::collections::HashMap;
use syn::Path;

/// Settings of the twin being produced.
pub(crate) struct Twin {
    /// The twin's name, for `block_on` bridges' diagnostics.
    pub(crate) label: String,
    /// `strict`: a foreign `.await` is an error.
    pub(crate) strict: bool,
    /// The facade's path (`::twoworlds` or the `crate = ..` override).
    pub(crate) krate: Path,
    /// The twins of the methods of the same inherent impl, by method name:
    /// `self.m(..).await` and `Self::m(..).await` call `self.blocking_m(..)`
    /// (inherent methods resolve first, so the rename is the same method).
    pub(crate) own_methods: HashMap<String, syn::Ident>,
    /// The fns and methods of the same invocation whose twins take sync
    /// closures where the originals take closures returning futures (see
    /// `rewrite::closure_ty`), by name: an awaited call of one of them
    /// passes its async closure arguments at those places as sync closures.
    pub(crate) closure_callees: ClosureCallees,
    /// The twin is a trait's: its sync closure params reach the async
    /// method through the blanket impl's adapter, which cannot hand on a
    /// closure whose arguments borrow (see `rewrite::closure_ty`).
    pub(crate) adapted_closures: bool,
    /// The twin implements a trait method whose blocking twin decided
    /// already where it takes sync closures (a `#[dual] mod`'s trait): the
    /// twin takes them there too, whatever its own body does.
    pub(crate) closure_decision: Option<SyncClosureParams>,
    /// The body is the source's tokens, checked to hold none of the names
    /// the rewrite acts on (see `stages::shell_fn`): nothing to look for.
    pub(crate) as_written: bool,
}

/// The callees of one invocation whose twins take sync closures, by name
/// (see [`Twin::closure_callees`]).
pub(crate) type ClosureCallees = HashMap<String, SyncClosureParams>;

/// Where the twin of one fn takes sync closures while the fn takes closures
/// returning futures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct SyncClosureParams {
    /// The fn has a receiver (`self`): a method call's arguments start
    /// after it.
    pub(crate) receiver: bool,
    /// The params, by index in the signature's inputs (the receiver
    /// counted).
    pub(crate) inputs: Vec<usize>,
}

impl SyncClosureParams {
    /// Whether argument `index` of a call takes a sync closure; `method`:
    /// the call is a method call (`x.m(..)`, receiver not among the
    /// arguments).
    pub(crate) fn takes_sync(&self, index: usize, method: bool) -> bool {
        let input = if method && self.receiver { index + 1 } else { index };
        self.inputs.contains(&input)
    }
}

/// The number `#[dual]` gives each async fn with a body before it copies
/// the item into its two worlds (see [`super::fn_ids`]).
pub(crate) type FnId = u32;

/// What a `#[dual]` future runs when a blocking twin awaits it, and what
/// that gives.
pub(crate) struct Branch {
    /// How it runs.
    pub(crate) run: Run,
    /// The blocking twin's output, where it differs from the async fn's
    /// (`impl Iterator` for `impl Stream`): the future's `Blocking` type.
    pub(crate) output: Option<syn::Type>,
}

/// How a [`Branch`] runs.
pub(crate) enum Run {
    /// A call of the fn's own blocking twin, whose signature is the same:
    /// `blocking_fetch(a, b)`, `Self::blocking_get(self, k)`.
    Call(syn::ExprPath),
    /// The blocking body itself, rewritten under the async fn's signature
    /// (trait methods, trait impls, the items of a `#[dual] mod`, and twins
    /// whose signature differs).
    Inline {
        /// The body.
        body: syn::Block,
        /// An awaited async block in it became a block or a called closure
        /// (the fn allows `unused_braces` and `clippy::redundant_closure_call`).
        closure_call: bool,
    },
}

/// The [`Branch`] of each async fn of one invocation, by [`FnId`].
pub(crate) type Branches = HashMap<FnId, Branch>;
