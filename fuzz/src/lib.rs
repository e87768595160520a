//! The fuzz target's view of the macros: the expansion functions of
//! `twoworlds-macros-backend`, the same ones the attributes run.
#![forbid(unsafe_code)]

pub use twoworlds_macros_backend::{bridge, dual, has_compile_error};
