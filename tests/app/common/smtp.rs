//! A small SMTP server for tests: speaks enough of RFC 5321 for lettre, keeps what it receives,
//! and can be told to refuse recipients the way a real relay does.

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicBool, Ordering},
};

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
};

#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub envelope_to: Vec<String>,
    pub raw: String,
}

impl ReceivedMail {
    pub fn parsed(&self) -> mailparse::ParsedMail<'_> {
        mailparse::parse_mail(self.raw.as_bytes()).expect("sink received a parseable message")
    }

    pub fn subject(&self) -> String {
        use mailparse::MailHeaderMap;
        self.parsed()
            .headers
            .get_first_value("Subject")
            .unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        use mailparse::MailHeaderMap;
        self.parsed().headers.get_first_value(name)
    }

    /// The decoded body of the first part with this MIME type.
    pub fn body(&self, mime: &str) -> String {
        fn find(part: &mailparse::ParsedMail, mime: &str) -> Option<String> {
            if part.ctype.mimetype == mime {
                return part.get_body().ok();
            }
            part.subparts.iter().find_map(|sub| find(sub, mime))
        }
        find(&self.parsed(), mime).unwrap_or_default()
    }

    pub fn text(&self) -> String {
        self.body("text/plain")
    }

    /// The first link in the text part that starts with `prefix`.
    pub fn link_starting(&self, prefix: &str) -> Option<String> {
        self.text()
            .split_whitespace()
            .find(|word| word.starts_with(prefix))
            .map(str::to_owned)
    }
}

#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    received: Arc<Mutex<Vec<ReceivedMail>>>,
    refuse_recipients: Arc<AtomicBool>,
    /// Answers every conversation with 421, as a relay that is down: senders try again later.
    down: Arc<AtomicBool>,
    /// How long each message takes to be accepted, in milliseconds: a slow relay.
    delay_ms: Arc<std::sync::atomic::AtomicU64>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        SmtpSink::start_on(0).await
    }

    pub async fn start_on(port: u16) -> SmtpSink {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let sink = SmtpSink {
            port: listener.local_addr().unwrap().port(),
            received: Arc::default(),
            refuse_recipients: Arc::default(),
            down: Arc::default(),
            delay_ms: Arc::default(),
        };
        let accepting = sink.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(accepting.clone().converse(stream));
            }
        });
        sink
    }

    /// From now on answer RCPT with 550, a permanent refusal.
    pub fn refuse_recipients(&self, refuse: bool) {
        self.refuse_recipients.store(refuse, Ordering::SeqCst);
    }

    /// From now on answer as a relay that is down (421, try again later), or again as one that
    /// is up.
    pub fn set_down(&self, down: bool) {
        self.down.store(down, Ordering::SeqCst);
    }

    /// From now on take this long to accept each message.
    pub fn slow_down(&self, delay: std::time::Duration) {
        self.delay_ms
            .store(delay.as_millis() as u64, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<ReceivedMail> {
        self.received.lock().unwrap().clone()
    }

    /// Waits up to ten seconds for at least `count` messages.
    pub async fn wait_for(&self, count: usize) -> Vec<ReceivedMail> {
        for _ in 0..200 {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!(
            "expected {count} messages, the SMTP sink has {}",
            self.received().len()
        );
    }

    async fn converse(self, stream: tokio::net::TcpStream) {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        if self.down.load(Ordering::SeqCst) {
            let _ = write.write_all(b"421 4.3.2 sink.test is down\r\n").await;
            return;
        }
        let _ = write.write_all(b"220 sink.test ESMTP\r\n").await;
        let mut recipients = Vec::new();
        while let Ok(Some(line)) = lines.next_line().await {
            let command = line.to_ascii_uppercase();
            // A connection kept open by the sender's pool meets the outage too.
            if self.down.load(Ordering::SeqCst) && command.starts_with("MAIL FROM") {
                let _ = write.write_all(b"421 4.3.2 sink.test is down\r\n").await;
                return;
            }
            let reply: &[u8] = if command.starts_with("EHLO") {
                b"250-sink.test\r\n250 8BITMIME\r\n"
            } else if command.starts_with("HELO")
                || command.starts_with("MAIL FROM")
                || command.starts_with("NOOP")
            {
                b"250 OK\r\n"
            } else if command.starts_with("RSET") {
                recipients.clear();
                b"250 OK\r\n"
            } else if command.starts_with("RCPT TO") {
                if self.refuse_recipients.load(Ordering::SeqCst) {
                    b"550 5.1.1 No such user here\r\n"
                } else {
                    recipients.push(
                        line[8..]
                            .trim()
                            .trim_start_matches(':')
                            .trim()
                            .trim_matches(['<', '>'])
                            .to_owned(),
                    );
                    b"250 OK\r\n"
                }
            } else if command == "DATA" {
                let _ = write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await;
                let mut raw = String::new();
                while let Ok(Some(data_line)) = lines.next_line().await {
                    if data_line == "." {
                        break;
                    }
                    // Undo dot-stuffing (RFC 5321 4.5.2).
                    raw.push_str(
                        data_line
                            .strip_prefix('.')
                            .filter(|_| data_line.starts_with(".."))
                            .unwrap_or(&data_line),
                    );
                    raw.push_str("\r\n");
                }
                let delay = self.delay_ms.load(Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
                self.received.lock().unwrap().push(ReceivedMail {
                    envelope_to: std::mem::take(&mut recipients),
                    raw,
                });
                b"250 OK queued\r\n"
            } else if command.starts_with("QUIT") {
                let _ = write.write_all(b"221 Bye\r\n").await;
                return;
            } else {
                b"502 Command not implemented\r\n"
            };
            if write.write_all(reply).await.is_err() {
                return;
            }
        }
    }
}
