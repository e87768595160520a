//! `#[dual(allow_blocking)]` goes on what holds fns; elsewhere in a `#[dual]`
//! mod it is an error naming the options that apply.

#[twoworlds::dual]
mod api {
    #[dual(allow_blocking)]
    pub struct Config;

    pub async fn load() -> Config {
        Config
    }
}

fn main() {}
