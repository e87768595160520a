use twoworlds::dual;

#[dual]
fn plain(x: u32) -> u32 {
    x
}

fn main() {}
