//! A `#[dual] mod` whose included file, or a `mod x;` file in it, is
//! missing: an error spanned on the `include!` or the `mod`.

#[twoworlds::dual]
mod client {
    include!("no_such_file.rs");
}

fn main() {}
