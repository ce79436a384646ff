//! A fixed-rate HTTP load generator for the benchmarks: sends GET requests
//! at a constant rate whatever the server's speed (open loop), and measures
//! each latency from when the request was due, so a slow server cannot hide
//! its queueing. Prints one line of results.
//!
//! cpms-load URL [--rate N] [--seconds N] [--header 'Name: value']...

use std::time::{Duration, Instant};

use tokio::sync::mpsc;

struct Args {
    url: String,
    rate: u32,
    seconds: u32,
    headers: Vec<(String, String)>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let mut parsed = Args {
        url: String::new(),
        rate: 200,
        seconds: 30,
        headers: Vec::new(),
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--rate" => {
                parsed.rate = value("--rate")?
                    .parse()
                    .map_err(|_| "--rate takes a number")?
            }
            "--seconds" => {
                parsed.seconds = value("--seconds")?
                    .parse()
                    .map_err(|_| "--seconds takes a number")?
            }
            "--header" => {
                let header = value("--header")?;
                let (name, v) = header
                    .split_once(':')
                    .ok_or("--header takes 'Name: value'")?;
                parsed
                    .headers
                    .push((name.trim().to_owned(), v.trim().to_owned()));
            }
            url if parsed.url.is_empty() && url.starts_with("http") => parsed.url = url.to_owned(),
            other => return Err(format!("unexpected argument {other}")),
        }
    }
    if parsed.url.is_empty() || parsed.rate == 0 {
        return Err(
            "usage: cpms-load URL [--rate N] [--seconds N] [--header 'Name: value']".into(),
        );
    }
    Ok(parsed)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::main]
async fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("cpms-load: {message}");
            std::process::exit(2);
        }
    };
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .expect("http client");
    let total = u64::from(args.rate) * u64::from(args.seconds);
    let interval = Duration::from_secs_f64(1.0 / f64::from(args.rate));
    let (sender, mut results) = mpsc::unbounded_channel::<Result<f64, String>>();
    let start = Instant::now();
    for n in 0..total {
        let due = start + interval.mul_f64(n as f64);
        tokio::time::sleep_until(due.into()).await;
        let mut request = client.get(&args.url);
        for (name, value) in &args.headers {
            request = request.header(name, value);
        }
        let sender = sender.clone();
        tokio::spawn(async move {
            let outcome = match request.send().await {
                Ok(response) if response.status().is_success() => match response.bytes().await {
                    Ok(_) => Ok(due.elapsed().as_secs_f64() * 1000.0),
                    Err(e) => Err(e.to_string()),
                },
                Ok(response) => Err(format!("status {}", response.status())),
                Err(e) => Err(e.to_string()),
            };
            let _ = sender.send(outcome);
        });
    }
    drop(sender);
    let mut latencies = Vec::with_capacity(total as usize);
    let mut errors = Vec::new();
    while let Some(outcome) = results.recv().await {
        match outcome {
            Ok(ms) => latencies.push(ms),
            Err(e) => errors.push(e),
        }
    }
    latencies.sort_by(f64::total_cmp);
    let achieved = latencies.len() as f64 / start.elapsed().as_secs_f64();
    println!(
        "requests={} ok={} errors={} rate={:.1}/s p50_ms={:.3} p90_ms={:.3} p99_ms={:.3} max_ms={:.3}",
        total,
        latencies.len(),
        errors.len(),
        achieved,
        percentile(&latencies, 50.0),
        percentile(&latencies, 90.0),
        percentile(&latencies, 99.0),
        latencies.last().copied().unwrap_or(f64::NAN),
    );
    if let Some(first) = errors.first() {
        eprintln!("cpms-load: first error: {first}");
    }
}
