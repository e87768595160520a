//! The fuzz target's view of the macros: the entry points of
//! `twoworlds-macros-backend` the attributes call (`dual_in_file` is
//! `#[dual]`'s), and the check the corpus test makes on an expansion.
#![forbid(unsafe_code)]

pub use twoworlds_macros_backend::{
    Checked, bridge, check_expansion, dual, dual_in_file, has_compile_error, made_async,
};
