//! The walk over an async body that finds calls of known blocking APIs.

use super::handed::{Handed, future_takes_args, future_takes_receiver};
use super::held::held_guards;
use super::imports::Imports;
use super::table::{Pattern, TABLE};
use super::twins::{self, path_string};
use super::{Finding, is_allow_marker};
use proc_macro2::Span;
use std::collections::HashSet;
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};

/// Calls whose sync-closure arguments run on another thread (or are allowed
/// to block), so their bodies are not checked.
const OFFLOADERS: &[&str] =
    &["unblock", "unblock_named", "spawn_blocking", "block_in_place", "spawn", "spawn_scoped"];

// Input: an async body. Output: a `Finding` for each call of a known blocking
// API in it (the body is not changed).
/// Collects the blocking calls of one async body.
pub(crate) struct BlockingCalls<'i> {
    /// The `use` items in scope.
    imports: &'i Imports,
    /// Variables bound from the root of a `MethodOn` entry, with that root.
    handles: Vec<(String, &'static [&'static str])>,
    /// Addresses of the call expressions that are directly `.await`ed.
    awaited: HashSet<usize>,
    /// Parameters declared with a blocking trait (`s: &impl BlockingStore`).
    blocking_receivers: HashSet<String>,
    /// Which calls and variables are handed on as futures.
    handed: Handed,
    /// What was found, in source order.
    findings: Vec<Finding>,
}

impl<'i> BlockingCalls<'i> {
    /// A walker resolving paths through `imports`, with the parameters the
    /// signature declares with a blocking trait.
    pub(crate) fn new(imports: &'i Imports, blocking_receivers: HashSet<String>) -> Self {
        Self {
            imports,
            handles: Vec::new(),
            awaited: HashSet::new(),
            blocking_receivers,
            handed: Handed::default(),
            findings: Vec::new(),
        }
    }

    /// What was found, in source order, but for the guesses a later use
    /// showed to be futures (see [`Handed`]).
    pub(crate) fn finish(self) -> Vec<Finding> {
        let keep = self.handed.kept(self.findings.len());
        self.findings.into_iter().zip(keep).filter_map(|(f, keep)| keep.then_some(f)).collect()
    }

    /// Records a finding at `span`.
    fn push(&mut self, span: Span, api: String, instead: String) {
        self.findings.push(Finding { span, api, instead });
    }

    /// The table root a chain (or the variable it starts at) comes from, if any.
    fn chain_root(&self, mut expr: &syn::Expr) -> Option<&'static [&'static str]> {
        loop {
            expr = match expr {
                syn::Expr::MethodCall(call) => &call.receiver,
                syn::Expr::Try(e) => &e.expr,
                syn::Expr::Paren(e) => &e.expr,
                syn::Expr::Reference(e) => &e.expr,
                syn::Expr::Call(call) => {
                    let syn::Expr::Path(path) = &*call.func else { return None };
                    let resolved = self.imports.resolve(&path.path)?;
                    return TABLE.iter().find_map(|entry| match entry.pattern {
                        Pattern::MethodOn { root, .. } if resolved.names(root) => Some(root),
                        _ => None,
                    });
                }
                syn::Expr::Path(path) => {
                    let name = path.path.get_ident()?.to_string();
                    return self.handles.iter().rev().find(|(n, _)| *n == name).map(|(_, r)| *r);
                }
                _ => return None,
            };
        }
    }

    /// Checks the call `call` of `path` (not awaited) against the twins'
    /// names and the table.
    fn check_path_call(&mut self, call: &syn::ExprCall, path: &syn::ExprPath) {
        let (qself, path) = (path.qself.as_ref(), &path.path);
        let Some(last) = path.segments.last() else { return };
        let span = last.ident.span();
        if let Some(twin) = twins::path_call(path, qself, self.imports) {
            return self.push(span, twin.api, twin.instead);
        }
        let name = last.ident.to_string();
        if name == "block_on" || name == "try_block_on" {
            let api = format!("`{}`", path_string(path));
            return self.push(span, api, "`.await` the future".into());
        }
        let Some(resolved) = self.imports.resolve(path) else { return };
        for entry in TABLE {
            let hit = match entry.pattern {
                Pattern::Call(target) => resolved.names(target),
                Pattern::AnyFnIn(module) => resolved.names_fn_in(module),
                Pattern::MethodOn { .. } => false,
            };
            if hit {
                let api = if matches!(entry.pattern, Pattern::AnyFnIn(_)) {
                    format!("`{}` (std::fs)", path_string(path))
                } else {
                    format!("`{}`", entry.api)
                };
                // Taken to be std's by its tail alone: a tokio future handed
                // on (not std's) is no finding.
                if !resolved.exact && !self.handed.guess(call, self.findings.len()) {
                    return;
                }
                return self.push(span, api, entry.instead.to_owned());
            }
        }
    }

    /// Checks the method call `call` (not awaited).
    fn check_method_call(&mut self, call: &syn::ExprMethodCall) {
        let name = call.method.to_string();
        let span = call.method.span();
        if let Some(twin) = twins::method_call(call, &self.blocking_receivers) {
            return self.push(span, twin.api, twin.instead);
        }
        if name == "block_on" {
            return self.push(span, "`.block_on(..)`".into(), "`.await` the future".into());
        }
        let Some(root) = self.chain_root(&call.receiver) else { return };
        let entry = TABLE.iter().find(|entry| {
            matches!(entry.pattern, Pattern::MethodOn { root: r, methods } if r == root && methods.contains(&name.as_str()))
        });
        if let Some(entry) = entry {
            self.push(span, format!("`.{name}(..)`, {}", entry.api), entry.instead.to_owned());
        }
    }

    /// Visits the arguments of a call of `callee`, skipping sync closures when
    /// the callee runs them elsewhere.
    fn visit_args(&mut self, callee: &str, args: &Punctuated<syn::Expr, syn::Token![,]>) {
        if future_takes_args(callee) {
            self.handed.args(args);
        }
        let offloads = OFFLOADERS.contains(&callee);
        for arg in args {
            match arg {
                syn::Expr::Closure(c) if offloads && c.asyncness.is_none() => {}
                _ => self.visit_expr(arg),
            }
        }
    }

    /// Remembers a `let name = <chain from a table root>` binding.
    fn track_handle(&mut self, local: &syn::Local) {
        let (syn::Pat::Ident(pat), Some(init)) = (&local.pat, &local.init) else { return };
        if let Some(root) = self.chain_root(&init.expr) {
            self.handles.push((pat.ident.to_string(), root));
        }
    }
}

impl<'ast> Visit<'ast> for BlockingCalls<'_> {
    fn visit_block(&mut self, block: &'ast syn::Block) {
        visit::visit_block(self, block);
        for held in held_guards(block) {
            let api = format!("a lock guard (`{}`) held across an `.await`", held.guard);
            let instead = "drop the guard before the `.await`, or use `tokio::sync::Mutex` \
                           (`m.lock().await`)";
            self.push(held.lock_span, api, instead.into());
        }
    }

    fn visit_stmt(&mut self, stmt: &'ast syn::Stmt) {
        let attrs = match stmt {
            syn::Stmt::Local(local) => &local.attrs[..],
            syn::Stmt::Macro(mac) => &mac.attrs[..],
            syn::Stmt::Expr(expr, _) => super::strip::expr_attrs(expr),
            syn::Stmt::Item(_) => return,
        };
        if attrs.iter().any(is_allow_marker) {
            return;
        }
        if let syn::Stmt::Local(local) = stmt {
            self.track_handle(local);
            self.handed.binding(local);
        }
        visit::visit_stmt(self, stmt);
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {}

    fn visit_expr_await(&mut self, node: &'ast syn::ExprAwait) {
        match &*node.base {
            syn::Expr::Call(call) => {
                self.handed.args(&call.args);
                self.awaited.insert(std::ptr::from_ref(call) as usize)
            }
            syn::Expr::MethodCall(call) => {
                self.handed.args(&call.args);
                self.awaited.insert(std::ptr::from_ref(call) as usize)
            }
            base => {
                self.handed.receiver(base);
                false
            }
        };
        visit::visit_expr_await(self, node);
    }

    fn visit_expr_call(&mut self, node: &'ast syn::ExprCall) {
        let awaited = self.awaited.contains(&(std::ptr::from_ref(node) as usize));
        let mut callee = String::new();
        if let syn::Expr::Path(path) = &*node.func {
            callee = path.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
            if !awaited {
                self.check_path_call(node, path);
            }
        } else {
            self.visit_expr(&node.func);
        }
        self.visit_args(&callee, &node.args);
    }

    fn visit_expr_method_call(&mut self, node: &'ast syn::ExprMethodCall) {
        if future_takes_receiver(&node.method.to_string()) {
            self.handed.receiver(&node.receiver);
        }
        if !self.awaited.contains(&(std::ptr::from_ref(node) as usize)) {
            self.check_method_call(node);
        }
        self.visit_expr(&node.receiver);
        self.visit_args(&node.method.to_string(), &node.args);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let parser = Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
        if let Ok(args) = mac.parse_body_with(parser) {
            // The parsed arguments are dropped after this: forget their addresses.
            let (awaited, handed) = (self.awaited.clone(), self.handed.save());
            let name = mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
            if future_takes_args(&name) {
                self.handed.args(&args);
            }
            for arg in &args {
                <Self as Visit<'_>>::visit_expr(self, arg);
            }
            self.awaited = awaited;
            self.handed.restore(handed);
        }
    }
}
