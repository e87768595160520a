//! The two stages of an expansion with world cfgs, seen in whole expansions.

use super::*;

#[test]
fn the_stage_is_taken_off_the_front_only() {
    let (version, rest) = take(quote!(__twoworlds_stage = plain, blocking_cfg(any())));
    assert_eq!(version, Some(Version::Plain));
    assert_eq!(rest.to_string(), "blocking_cfg (any ())");
    let (version, rest) = take(quote!(__twoworlds_stage = shell));
    assert_eq!((version, rest.is_empty()), (Some(Version::Shell), true));
    let (version, rest) = take(quote!(blocking = b, __twoworlds_stage = full));
    assert_eq!(version, None);
    assert_eq!(rest.to_string(), "blocking = b , __twoworlds_stage = full");
    assert_eq!(take(quote!(__twoworlds_stage = other)).0, None);
}

#[test]
fn the_first_stage_puts_one_copy_under_each_cfg() {
    let args = quote!(blocking_cfg(feature = "b"), crate = my::tw);
    let out = crate::dual::expand(
        args,
        quote!(
            async fn f() {}
        ),
    )
    .to_string();
    assert_eq!(out.matches("async fn f").count(), 1, "{out}");
    assert!(
        out.starts_with(
            "# [cfg_attr (feature = \"b\" , my :: tw :: dual (__twoworlds_stage = full , \
             blocking_cfg"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "# [cfg_attr (not (feature = \"b\") , my :: tw :: dual (__twoworlds_stage = plain ,"
        ),
        "{out}"
    );
    let both = crate::dual::expand(
        quote!(blocking_cfg(b), async_cfg(a)),
        quote!(
            async fn f() {}
        ),
    );
    let both = both.to_string();
    assert_eq!(both.matches("async fn f").count(), 1, "{both}");
    assert_eq!(both.matches("__twoworlds_stage").count(), 3, "{both}");
    // Both worlds off: no version, no item.
    assert!(
        both.starts_with("# [cfg (any (all (a , b) , all (a , not (b)) , all (not (a) , b)))]"),
        "{both}"
    );
}

#[test]
fn a_shell_fn_whose_body_no_pass_touches_expands_as_when_parsed() {
    let bodies = [
        quote!({}),
        quote!({
            let mut acc = x;
            for k in 0..3 {
                acc = acc.rotate_left(5) ^ k;
            }
            if acc % 3 == 0 { acc / 3 } else { acc.wrapping_add(1) }
        }),
        quote!({
            let f = |y: u32| -> Result<u32, ()> { Ok(y + 1) };
            let v = vec![f(x).map_err(|()| ())?, 2];
            println!("{v:?} {}", v.iter().sum::<u32>());
            'outer: loop {
                match v.first() {
                    Some(0) => return Ok(0),
                    Some(_) => break 'outer,
                    None => continue,
                }
            }
            fn helper() {}
            helper();
            let Some(&last) = v.last() else { return Err(()) };
            Ok(last)
        }),
    ];
    for body in bodies {
        let item = quote!(pub(crate) async fn f<T: Clone>(x: u32, (a, b): (T, T)) -> Result<u32, ()> #body);
        assert!(shell_fn(&item).is_some(), "{item}");
        let args = quote!(__twoworlds_stage = shell, async_cfg(feature = "a"));
        let fast = crate::dual::expand(args.clone(), item.clone()).to_string();
        // A rule given by the user: the full parse.
        let parsed =
            crate::dual::expand(quote!(#args, replace(zz::none => zz::other)), item.clone());
        assert_eq!(fast, parsed.to_string());
    }
}

#[test]
fn a_shell_fn_with_something_to_rewrite_is_parsed() {
    for item in [
        quote!(
            async fn f() -> u32 {
                g().await
            }
        ),
        quote!(
            async fn f() -> u32 {
                let x = async { 1 };
                2
            }
        ),
        quote!(
            async fn f() -> u32 {
                #[allow(unused)]
                let x = 1;
                x
            }
        ),
        quote!(
            async fn f() -> u32 {
                use std::io;
                1
            }
        ),
        quote!(
            async fn f() -> u32 {
                fn g() -> u32 {
                    1
                }
                g()
            }
        ),
        quote!(
            async fn f() -> (u32, u32) {
                tokio::join!(a(), b())
            }
        ),
        quote!(
            async fn f() -> u32 {
                futures::stream::iter(v).count()
            }
        ),
        quote!(
            async fn f() -> u32 {
                per_world!(1, 2)
            }
        ),
        quote!(
            async fn f(g: impl Fn() -> u32) -> u32 {
                g()
            }
        ),
        quote!(
            async fn f<F: Future<Output = u32>>(g: F) -> u32 {
                1
            }
        ),
        quote!(
            fn f() -> impl Future<Output = u32> {
                async { 1 }
            }
        ),
        quote!(
            async fn f() -> u32 {
                1
            }
            struct After;
        ),
        quote!(
            /// Like `futures::stream::iter`.
            async fn f() -> u32 {
                1
            }
        ),
    ] {
        assert!(shell_fn(&item).is_none(), "{item}");
    }
}

#[test]
fn an_option_error_expands_in_one_stage() {
    let out = crate::dual::expand(
        quote!(blocking_cfg(any()), nope),
        quote!(
            async fn f() {}
        ),
    );
    let out = out.to_string();
    assert!(out.contains("compile_error") && !out.contains(STAGE), "{out}");
}
