//! A small SMTP server for tests: accepts every message over real SMTP on
//! loopback and keeps it, so tests read what the application sent.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// One received message: envelope recipient and the raw data.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: String,
    pub data: String,
}

impl Received {
    /// The decoded text of each base64 MIME part (plain text, then HTML).
    pub fn parts(&self) -> Vec<String> {
        use base64::Engine as _;
        self.data
            .split("Content-Transfer-Encoding: base64")
            .skip(1)
            .map(|part| {
                let encoded: String = part
                    .lines()
                    .skip_while(|line| line.trim().is_empty())
                    .take_while(|line| !line.trim().is_empty() && !line.starts_with("--"))
                    .collect();
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(encoded.trim())
                    .expect("a base64 part");
                String::from_utf8(bytes).expect("a UTF-8 part")
            })
            .collect()
    }
}

pub struct SmtpSink {
    pub port: u16,
    messages: Arc<Mutex<Vec<Received>>>,
    task: JoinHandle<()>,
}

impl SmtpSink {
    /// Listens on `port` (0: any free port).
    pub async fn start(port: u16) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("SMTP sink port");
        let port = listener.local_addr().expect("sink address").port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let kept = messages.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, kept.clone()));
            }
        });
        Self {
            port,
            messages,
            task,
        }
    }

    /// A port nothing listens on now (for a sink started later).
    pub async fn free_port() -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("free port");
        listener.local_addr().expect("address").port()
    }

    pub fn messages(&self) -> Vec<Received> {
        self.messages.lock().expect("sink lock").clone()
    }

    /// Waits until a message for `to` has arrived (the test's own timeout
    /// bounds the wait).
    pub async fn wait_for(&self, to: &str) -> Received {
        loop {
            if let Some(m) = self.messages().into_iter().find(|m| m.to == to) {
                return m;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    pub fn stop(self) {
        self.task.abort();
    }
}

async fn session(stream: tokio::net::TcpStream, messages: Arc<Mutex<Vec<Received>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
    let mut to = String::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250-sink\r\n250 8BITMIME\r\n"
        } else if upper.starts_with("RCPT TO:") {
            to = line[8..]
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned();
            b"250 ok\r\n"
        } else if upper.starts_with("DATA") {
            let _ = write.write_all(b"354 go on\r\n").await;
            let mut data = String::new();
            while let Ok(Some(l)) = lines.next_line().await {
                if l == "." {
                    break;
                }
                data.push_str(l.strip_prefix('.').unwrap_or(&l));
                data.push_str("\r\n");
            }
            messages.lock().expect("sink lock").push(Received {
                to: to.clone(),
                data,
            });
            b"250 queued\r\n"
        } else if upper.starts_with("QUIT") {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            b"250 ok\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}
