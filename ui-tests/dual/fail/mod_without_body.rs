use twoworlds::dual;

#[dual]
mod elsewhere;

fn main() {}
