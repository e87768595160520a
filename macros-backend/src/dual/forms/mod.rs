//! The forms of `#[dual]`, one file each: an async fn ([`fn_`]), an
//! inherent impl ([`impl_`]), a trait ([`trait_`], with the blanket impl of
//! its blocking trait in [`blanket`]; over `#[async_trait]`, [`boxed`]), a
//! trait impl ([`trait_impl`]), and an
//! inline mod ([`mod_`], with `#[dual(skip)]` items in [`skip`]). Each
//! checks its options, splits the item into its two worlds
//! ([`super::worlds`]), makes the twins ([`super::twin`]) and instruments
//! the async copy ([`super::instrument`]).

mod blanket;
mod boxed;
pub(crate) mod fn_;
mod hidden;
pub(crate) mod impl_;
pub(crate) mod mod_;
mod mod_paths;
mod skip;
pub(crate) mod trait_;
pub(crate) mod trait_impl;
