//! Recognizing the marker attributes `#[only_async]` / `#[only_blocking]`
//! (also spelled with a path, `#[twoworlds::only_async]`) and taking them off
//! attribute lists, with an error for each misuse.

use super::World;
use crate::common::Errors;
use syn::{AttrStyle, Attribute, Meta};

/// The attribute as the user writes it, for messages.
pub(super) fn spelling(world: World) -> &'static str {
    match world {
        World::Async => "#[only_async]",
        World::Blocking => "#[only_blocking]",
    }
}

/// The world `attr` marks, if it is a marker.
fn marker_world(attr: &Attribute) -> Option<World> {
    let last = attr.path().segments.last()?;
    if last.ident == "only_async" {
        Some(World::Async)
    } else if last.ident == "only_blocking" {
        Some(World::Blocking)
    } else {
        None
    }
}

/// Whether `attrs` mark their node `#[only_blocking]`.
pub(crate) fn is_blocking_only(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| marker_world(attr) == Some(World::Blocking))
}

/// Input: the attributes of a node where markers belong. Output: the same
/// without markers, and the world the node stays in (`None`: both).
/// Arguments, an inner `#![..]` form, a repeated marker and both markers on
/// one node are errors; with both, the node stays in both twins.
pub(super) fn take(attrs: &mut Vec<Attribute>, errors: &mut Errors) -> Option<World> {
    let mut found: Option<World> = None;
    let mut conflict = false;
    attrs.retain(|attr| {
        let Some(world) = marker_world(attr) else { return true };
        check_form(attr, world, errors);
        match found {
            None => found = Some(world),
            Some(first) if first == world => errors.push(syn::Error::new_spanned(
                attr,
                format!("duplicate `{}`: once is enough", spelling(world)),
            )),
            Some(_) => {
                conflict = true;
                errors.push(syn::Error::new_spanned(
                    attr,
                    "both `#[only_async]` and `#[only_blocking]` on one node: it would be in \
                     neither twin; remove both to keep it in both",
                ));
            }
        }
        false
    });
    if conflict { None } else { found }
}

/// Reports a marker written with arguments or as an inner attribute.
fn check_form(attr: &Attribute, world: World, errors: &mut Errors) {
    let spelled = spelling(world);
    if !matches!(attr.meta, Meta::Path(_)) {
        errors.push(syn::Error::new_spanned(
            &attr.meta,
            format!("`{spelled}` takes no arguments: write `{spelled}` alone"),
        ));
    }
    if matches!(attr.style, AttrStyle::Inner(_)) {
        errors.push(syn::Error::new_spanned(
            attr,
            format!("`{spelled}` must be an outer attribute: write `{spelled}` before the node"),
        ));
    }
}

/// Input: the attributes of a node where markers have no meaning (`what`
/// names it). Output: the same without markers, one error per marker.
pub(super) fn reject(attrs: &mut Vec<Attribute>, what: &str, errors: &mut Errors) {
    attrs.retain(|attr| {
        let Some(world) = marker_world(attr) else { return true };
        errors.push(syn::Error::new_spanned(
            attr,
            format!(
                "`{}` cannot be on {what}: markers go on statements, items, struct fields, enum \
                 variants, match arms, impl and trait items, and fields of struct expressions \
                 and patterns; to pick between two expressions write \
                 `per_world!(async => .., blocking => ..)`",
                spelling(world)
            ),
        ));
        false
    });
}

/// The outer attributes of an item, if it has any.
pub(super) fn of_item(item: &mut syn::Item) -> Option<&mut Vec<Attribute>> {
    use syn::Item;
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::ExternCrate(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::ForeignMod(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::TraitAlias(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

/// The attributes of an impl item, if it has any.
pub(super) fn of_impl_item(item: &mut syn::ImplItem) -> Option<&mut Vec<Attribute>> {
    use syn::ImplItem;
    Some(match item {
        ImplItem::Const(i) => &mut i.attrs,
        ImplItem::Fn(i) => &mut i.attrs,
        ImplItem::Type(i) => &mut i.attrs,
        ImplItem::Macro(i) => &mut i.attrs,
        _ => return None,
    })
}

/// The attributes of a trait item, if it has any.
pub(super) fn of_trait_item(item: &mut syn::TraitItem) -> Option<&mut Vec<Attribute>> {
    use syn::TraitItem;
    Some(match item {
        TraitItem::Const(i) => &mut i.attrs,
        TraitItem::Fn(i) => &mut i.attrs,
        TraitItem::Type(i) => &mut i.attrs,
        TraitItem::Macro(i) => &mut i.attrs,
        _ => return None,
    })
}

/// The attributes of a statement. An expression statement's attributes
/// sit on its leftmost operand when it is a binary expression, an
/// assignment, a cast or a range (`#[only_async] a = b;`), which is where
/// syn puts them.
pub(super) fn of_stmt(stmt: &mut syn::Stmt) -> Option<&mut Vec<Attribute>> {
    match stmt {
        syn::Stmt::Local(local) => Some(&mut local.attrs),
        syn::Stmt::Item(item) => of_item(item),
        syn::Stmt::Macro(mac) => Some(&mut mac.attrs),
        syn::Stmt::Expr(expr, _) => of_statement_expr(expr),
    }
}

/// See [`of_stmt`].
fn of_statement_expr(expr: &mut syn::Expr) -> Option<&mut Vec<Attribute>> {
    use syn::Expr;
    let has_marker =
        of_expr(expr).is_some_and(|attrs| attrs.iter().any(|a| marker_world(a).is_some()));
    if has_marker {
        return of_expr(expr);
    }
    match expr {
        Expr::Binary(e) => of_statement_expr(&mut e.left),
        Expr::Assign(e) => of_statement_expr(&mut e.left),
        Expr::Cast(e) => of_statement_expr(&mut e.expr),
        Expr::Range(syn::ExprRange { start: Some(start), .. }) => of_statement_expr(start),
        _ => of_expr(expr),
    }
}

/// The outer attributes of an expression, if it has any.
fn of_expr(expr: &mut syn::Expr) -> Option<&mut Vec<Attribute>> {
    use syn::Expr;
    Some(match expr {
        Expr::Array(e) => &mut e.attrs,
        Expr::Assign(e) => &mut e.attrs,
        Expr::Async(e) => &mut e.attrs,
        Expr::Await(e) => &mut e.attrs,
        Expr::Binary(e) => &mut e.attrs,
        Expr::Block(e) => &mut e.attrs,
        Expr::Break(e) => &mut e.attrs,
        Expr::Call(e) => &mut e.attrs,
        Expr::Cast(e) => &mut e.attrs,
        Expr::Closure(e) => &mut e.attrs,
        Expr::Const(e) => &mut e.attrs,
        Expr::Continue(e) => &mut e.attrs,
        Expr::Field(e) => &mut e.attrs,
        Expr::ForLoop(e) => &mut e.attrs,
        Expr::Group(e) => &mut e.attrs,
        Expr::If(e) => &mut e.attrs,
        Expr::Index(e) => &mut e.attrs,
        Expr::Infer(e) => &mut e.attrs,
        Expr::Let(e) => &mut e.attrs,
        Expr::Lit(e) => &mut e.attrs,
        Expr::Loop(e) => &mut e.attrs,
        Expr::Macro(e) => &mut e.attrs,
        Expr::Match(e) => &mut e.attrs,
        Expr::MethodCall(e) => &mut e.attrs,
        Expr::Paren(e) => &mut e.attrs,
        Expr::Path(e) => &mut e.attrs,
        Expr::Range(e) => &mut e.attrs,
        Expr::RawAddr(e) => &mut e.attrs,
        Expr::Reference(e) => &mut e.attrs,
        Expr::Repeat(e) => &mut e.attrs,
        Expr::Return(e) => &mut e.attrs,
        Expr::Struct(e) => &mut e.attrs,
        Expr::Try(e) => &mut e.attrs,
        Expr::TryBlock(e) => &mut e.attrs,
        Expr::Tuple(e) => &mut e.attrs,
        Expr::Unary(e) => &mut e.attrs,
        Expr::Unsafe(e) => &mut e.attrs,
        Expr::While(e) => &mut e.attrs,
        Expr::Yield(e) => &mut e.attrs,
        _ => return None,
    })
}
