//! Corpus, part 1: control flow (loops, early returns, `?`, matches,
//! closures, blocks) around awaited calls.

differential!(straight_line {
    pub async fn check() -> u32 {
        let a = 20;
        let b = async { a + 1 }.await;
        b * 2
    }
});

differential!(for_loop_with_awaits {
    async fn square(n: u64) -> u64 {
        n * n
    }
    pub async fn check() -> u64 {
        let mut total = 0;
        for n in 0..10 {
            total += square(n).await;
        }
        total
    }
});

differential!(while_loop_and_break_value {
    async fn step(n: u32) -> u32 {
        if n % 2 == 0 { n / 2 } else { 3 * n + 1 }
    }
    pub async fn check() -> (u32, u32) {
        let mut n = 27;
        let mut steps = 0;
        while n != 1 {
            n = step(n).await;
            steps += 1;
        }
        let first_big = loop {
            n = step(n + 6).await;
            if n > 10 {
                break n;
            }
        };
        (steps, first_big)
    }
});

differential!(early_return {
    async fn find(haystack: &[i32], needle: i32) -> Option<usize> {
        for (index, value) in haystack.iter().enumerate() {
            if *value == needle {
                return Some(index);
            }
        }
        None
    }
    pub async fn check() -> (Option<usize>, Option<usize>) {
        let data = [4, 8, 15, 16, 23, 42];
        (find(&data, 16).await, find(&data, 7).await)
    }
});

differential!(question_mark {
    async fn parse(text: &str) -> Result<i64, std::num::ParseIntError> {
        let n: i64 = text.trim().parse()?;
        Ok(n * 2)
    }
    async fn sum(texts: &[&str]) -> Result<i64, std::num::ParseIntError> {
        let mut total = 0;
        for text in texts {
            total += parse(text).await?;
        }
        Ok(total)
    }
    pub async fn check() -> (Result<i64, String>, Result<i64, String>) {
        let good = sum(&["1", " 2", "3 "]).await.map_err(|e| e.to_string());
        let bad = sum(&["1", "x"]).await.map_err(|e| e.to_string());
        (good, bad)
    }
});

differential!(option_question_mark {
    async fn first_even_half(values: &[u32]) -> Option<u32> {
        let even = values.iter().find(|v| *v % 2 == 0)?;
        Some(even / 2)
    }
    pub async fn check() -> (Option<u32>, Option<u32>) {
        (first_even_half(&[3, 5, 8]).await, first_even_half(&[1, 3]).await)
    }
});

differential!(match_on_awaited {
    async fn classify(n: i32) -> &'static str {
        match n {
            i32::MIN..=-1 => "negative",
            0 => "zero",
            1..=9 => "small",
            _ => "big",
        }
    }
    pub async fn check() -> Vec<&'static str> {
        let mut out = Vec::new();
        for n in [-5, 0, 3, 100] {
            out.push(match classify(n).await {
                "zero" => "nothing",
                other => other,
            });
        }
        out
    }
});

differential!(match_guards_and_bindings {
    async fn describe(pair: (i32, i32)) -> String {
        match pair {
            (x, y) if x == y => format!("same {x}"),
            (x, 0) | (0, x) => format!("axis {x}"),
            (x, y) => format!("{}", x + y),
        }
    }
    pub async fn check() -> Vec<String> {
        let mut out = Vec::new();
        for pair in [(2, 2), (5, 0), (0, 7), (1, 2)] {
            out.push(describe(pair).await);
        }
        out
    }
});

differential!(closures_over_results {
    async fn base() -> i32 {
        10
    }
    pub async fn check() -> Vec<i32> {
        let offset = base().await;
        let add = |x: i32| x + offset;
        let values: Vec<i32> = (1..=4).map(add).filter(|v| v % 2 == 0).collect();
        values
    }
});

differential!(closure_capturing_mutable_state {
    async fn limit() -> usize {
        3
    }
    pub async fn check() -> Vec<usize> {
        let mut seen = Vec::new();
        let max = limit().await;
        let mut push = |n: usize| {
            if seen.len() < max {
                seen.push(n);
            }
        };
        for n in 0..10 {
            push(n * n);
        }
        seen
    }
});

differential!(shadowing_and_blocks {
    async fn half(n: i32) -> i32 {
        n / 2
    }
    pub async fn check() -> (i32, i32) {
        let x = 40;
        let x = half(x).await;
        let y = {
            let x = half(x).await;
            x + 1
        };
        (x, y)
    }
});

differential!(if_let_chains_of_awaits {
    async fn lookup(key: &str) -> Option<u32> {
        match key {
            "a" => Some(1),
            "b" => Some(2),
            _ => None,
        }
    }
    pub async fn check() -> Vec<u32> {
        let mut out = Vec::new();
        for key in ["a", "x", "b"] {
            if let Some(v) = lookup(key).await {
                out.push(v * 10);
            } else {
                out.push(0);
            }
        }
        out
    }
});

differential!(let_else {
    async fn parse_pair(text: &str) -> Option<(i32, i32)> {
        let Some((a, b)) = text.split_once(',') else {
            return None;
        };
        let (Ok(a), Ok(b)) = (a.parse(), b.parse()) else {
            return None;
        };
        Some((a, b))
    }
    pub async fn check() -> Vec<Option<(i32, i32)>> {
        let mut out = Vec::new();
        for text in ["1,2", "3", "x,4"] {
            out.push(parse_pair(text).await);
        }
        out
    }
});

differential!(labeled_loops {
    async fn is_target(a: u32, b: u32) -> bool {
        a * b == 12
    }
    pub async fn check() -> Option<(u32, u32)> {
        let mut found = None;
        'outer: for a in 1..10 {
            for b in 1..10 {
                if b > a {
                    continue 'outer;
                }
                if is_target(a, b).await {
                    found = Some((a, b));
                    break 'outer;
                }
            }
        }
        found
    }
});

differential!(awaits_before_macro_arguments {
    async fn name() -> String {
        "world".to_owned()
    }
    pub async fn check() -> (String, Vec<usize>) {
        let who = name().await;
        let greeting = format!("hello {who}");
        let again = name().await;
        let lengths = vec![again.len(), greeting.len()];
        (greeting, lengths)
    }
});

differential!(async_block_without_control_flow {
    pub async fn check() -> (i32, String) {
        let n = async {
            let a = 6;
            a * 7
        }
        .await;
        let s = async move { format!("{n}!") }.await;
        (n, s)
    }
});

differential!(nested_calls_as_arguments {
    async fn add(a: i32, b: i32) -> i32 {
        a + b
    }
    async fn mul(a: i32, b: i32) -> i32 {
        a * b
    }
    pub async fn check() -> i32 {
        add(mul(3, 4).await, mul(add(1, 1).await, 5).await).await
    }
});
