//! Futures handed on: a call the lint takes to be std's by the tail of its
//! path alone (`TcpStream::connect(a)`, `fs::read(p)`, under a module-level
//! `use tokio::..` the attribute cannot see) is no finding when its value is
//! used as a future, which std's blocking functions never return:
//!
//! - an argument of a call or method call that is `.await`ed
//!   (`with_timeout(TcpStream::connect(a)).await`), or of one that takes
//!   futures (`spawn`, `spawn_local`, `timeout`, `join`, `join_all`,
//!   `try_join`, `select`, `Box::pin`, `block_on`, ..; the macros `join!`,
//!   `try_join!`, `pin!`);
//! - the receiver of a future combinator (`.boxed()`, `.fuse()`,
//!   `.instrument(..)`, `.into_future()`, ..);
//! - the value of a closure handed on so (`retry(|| TcpStream::connect(a)))`;
//! - bound by `let fut = fs::read(p);` to a variable that is later used so,
//!   or `.await`ed (`fut.await`, `spawn(fut)`, `join!(fut, ..)`).
//!
//! A path that resolves to std for sure (`std::fs::read`, or through a
//! visible `use std::fs;`) is a finding wherever its value goes. The price:
//! a std call under an invisible `use std::fs;` whose `Result` is handed on
//! unwrapped (`send(fs::read(p)).await`, `let r = fs::read(p); send(r).await`)
//! is missed; with `?` or `.unwrap()` (the common case) it is found.

use std::collections::{HashMap, HashSet};

/// Functions (and methods) whose arguments are futures.
const TAKE_ARGS: &[&str] = &[
    "spawn",
    "spawn_local",
    "timeout",
    "timeout_at",
    "join",
    "join_all",
    "try_join",
    "try_join_all",
    "select",
    "select_all",
    "select_ok",
    "pin",
    "block_on",
];

/// Methods whose receiver is a future.
const TAKE_RECEIVER: &[&str] = &[
    "boxed",
    "boxed_local",
    "fuse",
    "shared",
    "into_future",
    "instrument",
    "in_current_span",
    "catch_unwind",
];

/// Whether a call of `name` (fn, method or macro) takes futures as arguments.
pub(super) fn future_takes_args(name: &str) -> bool {
    TAKE_ARGS.contains(&name)
}

/// Whether the method `name` takes a future as its receiver.
pub(super) fn future_takes_receiver(name: &str) -> bool {
    TAKE_RECEIVER.contains(&name)
}

/// What the walk learned about futures handed on (see the module docs).
#[derive(Default)]
pub(super) struct Handed {
    /// Addresses of call expressions whose value is handed on.
    calls: HashSet<usize>,
    /// `let name = call;`: the call's address → `name`.
    bound: HashMap<usize, String>,
    /// Variables whose value is handed on or awaited.
    used: HashSet<String>,
    /// Findings (by index) that stand unless their `let` variable is in `used`.
    pending: Vec<(usize, String)>,
}

impl Handed {
    /// Records each of `args` as handed on.
    pub(super) fn args<'a>(&mut self, args: impl IntoIterator<Item = &'a syn::Expr>) {
        for arg in args {
            self.receiver(arg);
        }
    }

    /// Records `expr` (an argument, a receiver, an awaited value) as handed on.
    pub(super) fn receiver(&mut self, mut expr: &syn::Expr) {
        loop {
            expr = match expr {
                syn::Expr::Paren(e) => &e.expr,
                syn::Expr::Reference(e) => &e.expr,
                syn::Expr::Closure(c) if c.asyncness.is_none() => &c.body,
                syn::Expr::Block(b) => match b.block.stmts.last() {
                    Some(syn::Stmt::Expr(tail, None)) => tail,
                    _ => return,
                },
                syn::Expr::Call(call) => {
                    self.calls.insert(std::ptr::from_ref(call) as usize);
                    return;
                }
                syn::Expr::Path(path) => {
                    if let Some(name) = path.path.get_ident() {
                        self.used.insert(name.to_string());
                    }
                    return;
                }
                _ => return,
            };
        }
    }

    /// The marks on call addresses, to [`Self::restore`] once the
    /// expressions parsed from a macro's arguments are dropped (their
    /// addresses are reused).
    pub(super) fn save(&self) -> (HashSet<usize>, HashMap<usize, String>) {
        (self.calls.clone(), self.bound.clone())
    }

    /// Puts back the marks [`Self::save`]d.
    pub(super) fn restore(&mut self, (calls, bound): (HashSet<usize>, HashMap<usize, String>)) {
        self.calls = calls;
        self.bound = bound;
    }

    /// Records `let name = call;`.
    pub(super) fn binding(&mut self, local: &syn::Local) {
        let (syn::Pat::Ident(pat), Some(init)) = (&local.pat, &local.init) else { return };
        let mut value = &*init.expr;
        while let syn::Expr::Paren(e) = value {
            value = &e.expr;
        }
        if let syn::Expr::Call(call) = value
            && pat.subpat.is_none()
        {
            self.bound.insert(std::ptr::from_ref(call) as usize, pat.ident.to_string());
        }
    }

    /// Whether the guessed finding about `call`, about to be recorded at
    /// `index`, stands for now: not when the call is handed on; pending on
    /// its variable when `let`-bound.
    pub(super) fn guess(&mut self, call: &syn::ExprCall, index: usize) -> bool {
        let address = std::ptr::from_ref(call) as usize;
        if self.calls.contains(&address) {
            return false;
        }
        if let Some(name) = self.bound.get(&address) {
            self.pending.push((index, name.clone()));
        }
        true
    }

    /// Which of the `count` findings stand, once the whole body is seen.
    pub(super) fn kept(&self, count: usize) -> Vec<bool> {
        let mut keep = vec![true; count];
        for (index, name) in &self.pending {
            if self.used.contains(name) {
                keep[*index] = false;
            }
        }
        keep
    }
}
