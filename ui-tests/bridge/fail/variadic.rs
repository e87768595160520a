use twoworlds::bridge;

#[bridge]
fn log(format: &str, _: ...) {}

fn main() {}
