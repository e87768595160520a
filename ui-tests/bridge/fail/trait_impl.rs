use twoworlds::bridge;

struct Shown;

#[bridge]
impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("shown")
    }
}

fn main() {}
