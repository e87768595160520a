use twoworlds::bridge;

#[bridge]
mod inner {}

fn main() {}
