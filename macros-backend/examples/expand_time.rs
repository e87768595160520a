//! Times `#[dual]`'s expansion of every `#[twoworlds::dual(..)]` item of a
//! file (a crate of `benches/build_time.sh`), and counts its output tokens:
//! `cargo run -p twoworlds-macros-backend --example expand_time -- FILE [ROUNDS] [STAGE] [--print]`.
//! Built in the dev profile, as a consumer's build runs the proc macro.
//! With world cfgs, `#[dual]` expands in two stages (`dual::stages`): with
//! `STAGE` (`full`, `plain` or `shell`: the version the consumer's cfgs
//! select), each item's second expansion, of that version, is timed and
//! counted too (`-` for none).

use proc_macro2::{TokenStream, TokenTree};
use std::time::Instant;

/// Every token of `tokens`, groups counted with their contents.
fn count(tokens: TokenStream) -> usize {
    tokens
        .into_iter()
        .map(|tt| match tt {
            TokenTree::Group(g) => 1 + count(g.stream()),
            _ => 1,
        })
        .sum()
}

fn main() {
    let mut cli = std::env::args().skip(1);
    let path = cli.next().expect("a file");
    let rounds: usize = cli.next().map_or(5, |r| r.parse().expect("a count"));
    let stage = cli.next().filter(|s| s != "-");
    let print = cli.next().is_some();
    let text = std::fs::read_to_string(&path).expect("readable");
    let file = syn::parse_file(&text).expect("a Rust file");
    let mut inputs = Vec::new();
    for mut item in file.items {
        let syn::Item::Fn(f) = &mut item else { continue };
        let Some(at) = f
            .attrs
            .iter()
            .position(|a| a.path().segments.last().is_some_and(|s| s.ident == "dual"))
        else {
            continue;
        };
        let attr = f.attrs.remove(at);
        let args = match attr.meta {
            syn::Meta::List(list) => list.tokens,
            _ => TokenStream::new(),
        };
        inputs.push((args, quote::quote!(#item)));
    }
    let mut times = Vec::new();
    let mut tokens = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        tokens = 0;
        for (args, item) in &inputs {
            let mut out = twoworlds_macros_backend::dual(args.clone(), item.clone());
            if let Some(stage) = &stage {
                let stage: TokenStream = format!("__twoworlds_stage = {stage},").parse().unwrap();
                let second =
                    twoworlds_macros_backend::dual(quote::quote!(#stage #args), item.clone());
                tokens += count(out);
                out = second;
            }
            if print {
                println!("{out}");
            }
            tokens += count(out);
        }
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{} items: median {:.1} ms (min {:.1}), {} output tokens",
        inputs.len(),
        times[times.len() / 2] * 1e3,
        times[0] * 1e3,
        tokens
    );
}
