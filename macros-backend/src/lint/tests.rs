//! Unit tests of the lint: every table entry, the matching rules and limits,
//! the allow forms and the emitted warning tokens.

use super::*;

/// The `api` of each finding in the body `body`, with `uses` visible.
pub(super) fn found_with(uses: &str, body: &str) -> Vec<String> {
    let file: syn::File = syn::parse_str(uses).expect("uses parse");
    let mut imports = Imports::default();
    for item in &file.items {
        if let syn::Item::Use(item) = item {
            imports.add(item);
        }
    }
    let block: syn::Block = syn::parse_str(body).expect("body parses");
    find_blocking_calls(&block, Allow::NONE, &imports).into_iter().map(|f| f.api).collect()
}

/// The `api` of each finding in `body`, with no `use` visible.
pub(super) fn found(body: &str) -> Vec<String> {
    found_with("", body)
}

#[test]
fn thread_sleep_by_every_spelling() {
    let sleep = ["`std::thread::sleep`"];
    assert_eq!(found("{ std::thread::sleep(d); }"), sleep);
    assert_eq!(found("{ ::std::thread::sleep(d); }"), sleep);
    assert_eq!(found("{ thread::sleep(d); }"), sleep);
    assert_eq!(found_with("use std::thread;", "{ thread::sleep(d); }"), sleep);
    assert_eq!(found_with("use std::thread::sleep;", "{ sleep(d); }"), sleep);
    assert_eq!(found_with("use std::thread::sleep as nap;", "{ nap(d); }"), sleep);
    assert_eq!(found("{ use std::thread::{self}; thread::sleep(d); }"), sleep);
    assert_eq!(found("{ use std::thread::sleep; sleep(d); }"), sleep);
}

#[test]
fn async_and_foreign_sleeps_are_not_blocking() {
    assert!(found("{ tokio::time::sleep(d).await; }").is_empty());
    assert!(found("{ sleep(d).await; }").is_empty());
    assert!(found("{ sleep(d); }").is_empty(), "a bare name needs a visible std import");
    assert!(found_with("use tokio::time::sleep;", "{ sleep(d); }").is_empty());
    assert!(found_with("use my::thread;", "{ thread::sleep(d); }").is_empty());
    assert!(found("{ crate::thread::sleep(d); self::fs::read(p); }").is_empty());
}

#[test]
fn std_fs_functions_and_files() {
    assert_eq!(
        found("{ let s = std::fs::read_to_string(p)?; }"),
        ["`std::fs::read_to_string` (std::fs)"]
    );
    assert_eq!(found("{ fs::remove_file(p).unwrap(); }"), ["`fs::remove_file` (std::fs)"]);
    assert_eq!(
        found_with("use std::fs::*;", "{ create_dir_all(p)?; }"),
        ["`create_dir_all` (std::fs)"]
    );
    assert_eq!(found("{ let f = std::fs::File::open(p)?; }"), ["`std::fs::File::open`"]);
    assert_eq!(found("{ File::create(p)?; }"), ["`std::fs::File::create`"]);
    assert_eq!(
        found("{ std::fs::OpenOptions::new().read(true).open(p)?; }"),
        ["`.open(..)`, std::fs::OpenOptions::open"]
    );
    // tokio's, awaited, under a `use` the macro cannot see or can:
    assert!(found("{ fs::read(p).await?; File::open(p).await?; }").is_empty());
    assert!(found_with("use tokio::fs;", "{ let f = fs::read(p); }").is_empty());
    // a type of std::fs is not a function call
    assert!(found("{ let m = std::fs::Permissions::from(x); }").is_empty());
}

#[test]
fn std_net_constructors_and_their_io() {
    assert_eq!(found("{ std::net::TcpStream::connect(a)?; }"), ["`std::net::TcpStream::connect`"]);
    assert_eq!(
        found("{ TcpStream::connect_timeout(a, t)?; }"),
        ["`std::net::TcpStream::connect_timeout`"]
    );
    assert_eq!(found("{ TcpListener::bind(a)?; }"), ["`std::net::TcpListener::bind`"]);
    assert_eq!(found("{ UdpSocket::bind(a)?; }"), ["`std::net::UdpSocket::bind`"]);
    let io = found("{ let mut s = TcpStream::connect(a)?; s.write_all(b)?; s.read(&mut buf)?; }");
    assert_eq!(
        io,
        [
            "`std::net::TcpStream::connect`",
            "`.write_all(..)`, I/O on a std::net::TcpStream",
            "`.read(..)`, I/O on a std::net::TcpStream"
        ]
    );
    let accept =
        found("{ let l = std::net::TcpListener::bind(a).unwrap(); let (c, _) = l.accept()?; }");
    assert_eq!(accept[1], "`.accept(..)`, I/O on a std::net::TcpListener");
    assert!(
        found("{ let s = tokio::net::TcpStream::connect(a).await?; s.read(&mut b).await?; }")
            .is_empty()
    );
}

#[test]
fn stdin_and_processes() {
    let stdin = "`.read_line(..)`, reading std::io::stdin";
    assert_eq!(found("{ std::io::stdin().read_line(&mut s)?; }"), [stdin]);
    assert_eq!(found("{ io::stdin().lock().read_line(&mut s)?; }"), [stdin]);
    assert_eq!(
        found_with("use std::io::stdin;", "{ let i = stdin(); i.read_line(&mut s)?; }"),
        [stdin]
    );
    assert!(found("{ tokio::io::stdin(); }").is_empty());
    let output = "`.output(..)`, std::process::Command::output/status";
    assert_eq!(
        found("{ let o = std::process::Command::new(\"ls\").arg(\"-l\").output()?; }"),
        [output]
    );
    assert_eq!(found("{ Command::new(\"ls\").status().unwrap(); }").len(), 1);
    assert!(found("{ Command::new(\"ls\").output().await?; }").is_empty());
}

#[test]
fn lock_guards_across_await() {
    let held = ["a lock guard (`g`) held across an `.await`"];
    assert_eq!(found("{ let g = m.lock().unwrap(); work().await; g.push(1); }"), held);
    assert_eq!(
        found("{ let mut g = m.lock().expect(\"poisoned\"); let x = f(async {}.await); }"),
        held
    );
    // dropped before the await, scoped in a block, an async lock, a temporary:
    assert!(found("{ let g = m.lock().unwrap(); drop(g); work().await; }").is_empty());
    assert!(found("{ { let g = m.lock().unwrap(); g.push(1); } work().await; }").is_empty());
    assert!(found("{ let g = m.lock().await; work().await; }").is_empty());
    assert!(found("{ let n = m.lock().unwrap().len(); work().await; }").is_empty());
    // an await inside a spawned async block is not this future's
    assert!(found("{ let g = m.lock().unwrap(); tokio::spawn(async { x.await }); }").is_empty());
}

#[test]
fn blocking_twins_and_block_on() {
    assert_eq!(found("{ let v = blocking_fetch(url); }"), ["blocking twin `blocking_fetch`"]);
    assert_eq!(found("{ rx.blocking_recv(); }"), ["blocking twin `.blocking_recv(..)`"]);
    assert_eq!(found("{ twoworlds::block_on(f()); }"), ["`twoworlds::block_on`"]);
    assert_eq!(found("{ rt.block_on(f()); }"), ["`.block_on(..)`"]);
    assert!(found("{ fetch(url).await; rx.recv().await; }").is_empty());
}

#[test]
fn where_the_walk_goes() {
    // sync closures handed to another thread are fine; inline ones are not
    assert!(found("{ twoworlds::unblock(move || std::thread::sleep(d)).await; }").is_empty());
    assert!(found("{ tokio::task::spawn_blocking(|| fs::read(p)); }").is_empty());
    assert!(found("{ std::thread::spawn(|| { thread::sleep(d); }); }").is_empty());
    assert_eq!(found("{ paths.iter().map(|p| std::fs::read(p)).count(); }").len(), 1);
    // async blocks and closures run on the executor: checked
    assert_eq!(found("{ tokio::spawn(async { thread::sleep(d); }); }").len(), 1);
    assert_eq!(found("{ let f = async || thread::sleep(d); }").len(), 1);
    // nested items are other functions
    assert!(found("{ fn helper() { thread::sleep(d); } }").is_empty());
    // macro arguments that are expressions
    assert_eq!(found("{ println!(\"{}\", std::fs::read_to_string(p)?); }").len(), 1);
    assert_eq!(found("{ assert_eq!(blocking_get(), 1); }").len(), 1);
}

#[test]
fn allow_forms() {
    assert!(found("{ #[allow_blocking] thread::sleep(d); }").is_empty());
    assert!(found("{ #[allow_blocking] let s = fs::read(p)?; }").is_empty());
    assert!(found("{ #[allow_blocking] println!(\"{:?}\", fs::read(p)); }").is_empty());
    assert_eq!(found("{ #[allow_blocking] thread::sleep(d); thread::sleep(d); }").len(), 1);
    assert!(found("{ #[allow_blocking] let g = m.lock().unwrap(); x.await; }").is_empty());
    let block: syn::Block = syn::parse_str("{ thread::sleep(d); }").unwrap();
    assert!(find_blocking_calls(&block, Allow::ALL, &Imports::default()).is_empty());
}

#[test]
fn markers_are_stripped_everywhere() {
    let mut block: syn::Block = syn::parse_str(
        "{ #[allow_blocking] a(); #[allow_blocking] let x = 1; #[allow_blocking] m!(); \
         let f = || { #[allow_blocking] #[inline] b(); }; }",
    )
    .unwrap();
    strip_allow_markers(&mut block);
    let text = quote::quote!(#block).to_string();
    assert!(!text.contains("allow_blocking"), "{text}");
    assert!(text.contains("# [inline]"), "other attributes stay: {text}");
    let mut attrs = vec![syn::parse_quote!(#[allow_blocking]), syn::parse_quote!(#[doc = "x"])];
    assert!(take_allow_marker(&mut attrs));
    assert_eq!(attrs.len(), 1);
    assert!(!take_allow_marker(&mut attrs));
}

#[test]
fn warnings_are_deprecated_macro_uses_naming_the_api_and_the_fix() {
    let block: syn::Block = syn::parse_str("{ std::thread::sleep(d); }").unwrap();
    let sig: syn::Signature = syn::parse_quote!(async fn nap());
    let warn = |block: &syn::Block| {
        blocking_call_warnings((&sig, "Client::nap"), block, Allow::NONE, &Imports::default())
    };
    let tokens = warn(&block).to_string();
    assert!(tokens.contains("deprecated"), "{tokens}");
    assert!(tokens.contains("macro_rules ! blocking_call_in_async_code"), "{tokens}");
    assert!(
        tokens.contains("`std::thread::sleep` in async fn `Client::nap` blocks the thread"),
        "{tokens}"
    );
    assert!(tokens.contains("`tokio::time::sleep(..).await`"), "{tokens}");
    assert!(tokens.contains("#[allow_blocking]"), "{tokens}");
    let clean: syn::Block = syn::parse_str("{ tokio::time::sleep(d).await; }").unwrap();
    assert!(warn(&clean).is_empty());
}

#[test]
fn every_table_entry_is_matched_by_its_own_path() {
    for entry in table::TABLE {
        let body = match entry.pattern {
            table::Pattern::Call(path) => format!("{{ {}(x); }}", path.join("::")),
            table::Pattern::AnyFnIn(module) => format!("{{ {}::read(x); }}", module.join("::")),
            table::Pattern::MethodOn { root, methods } => {
                format!("{{ {}(x).{}(y); }}", root.join("::"), methods[0])
            }
        };
        assert!(!found(&body).is_empty(), "{} not matched by {body}", entry.api);
    }
}
