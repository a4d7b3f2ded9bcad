//! The gate in front of a platform, as an operator sets it up: Debian's nginx (nginx-light has
//! auth_request) with examples/platform/nginx.conf, asking the service before every request of
//! the stand-in platform. Each test runs its own nginx on free ports.

use std::{
    process::{Command, Stdio},
    time::Duration,
};

use reqwest::StatusCode;

use crate::{
    common::{Daemon, PASSWORD, TestApp, free_port, location},
    gate::{Team, gate_app, platform, team},
};

/// nginx in front of the stand-in platform, asking `sharing` (host:port); SIGTERM, nginx's fast
/// shutdown, when dropped.
struct Nginx {
    _daemon: Daemon,
    port: u16,
}

impl Nginx {
    /// Runs the sample configuration with its three addresses replaced: nginx's own on `port`,
    /// the service's, and a fresh stand-in platform's.
    async fn start(port: u16, sharing: &str) -> Nginx {
        let platform_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let platform_address = platform_listener.local_addr().unwrap().to_string();
        tokio::spawn(platform::serve(platform_listener).unwrap());
        let sample = std::fs::read_to_string(format!(
            "{}/examples/platform/nginx.conf",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        for address in ["127.0.0.1:8080", "127.0.0.1:8081", "127.0.0.1:8000"] {
            assert!(sample.contains(address), "the sample names {address}");
        }
        let config = sample
            .replace("127.0.0.1:8080", sharing)
            .replace("127.0.0.1:8081", &platform_address)
            .replace("127.0.0.1:8000", &format!("127.0.0.1:{port}"));
        let dir = std::env::temp_dir().join(format!("nginx-{port}-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("logs")).unwrap();
        std::fs::write(dir.join("nginx.conf"), config).unwrap();
        let child = Command::new("/usr/sbin/nginx")
            .arg("-p")
            .arg(&dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .args(["-e", "stderr", "-g"])
            .arg(format!("daemon off; pid {}/nginx.pid;", dir.display()))
            .stdout(Stdio::null())
            .spawn()
            .expect("Debian's nginx-light, which ./dev test installs");
        let nginx = Nginx {
            _daemon: Daemon { child, dir },
            port,
        };
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return nginx;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("nginx did not start on {port}");
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

/// The service and nginx in front of the platform, with `roles` sharing the master account.
async fn set_up(roles: &[(&'static str, &[(&str, &str)])]) -> (TestApp, Team, Nginx) {
    let port = free_port();
    let app = gate_app(&format!("http://127.0.0.1:{port}")).await;
    let team = team(&app, roles).await;
    let sharing = app.base_url.trim_start_matches("http://").to_owned();
    let nginx = Nginx::start(port, &sharing).await;
    (app, team, nginx)
}

/// `method path` through nginx in `visitor`'s browser: the status, and what the platform echoed.
async fn through(
    nginx: &Nginx,
    visitor: &TestApp,
    method: &str,
    path: &str,
) -> (StatusCode, String) {
    let response = visitor
        .client
        .request(method.parse().unwrap(), nginx.url(path))
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_nginx_a_designer_reaches_templates_but_not_sending_or_billing() {
    let (_app, team, nginx) = set_up(&[("designer", &[("role_0", "designer")])]).await;
    let (m, designer) = (&team.master, team.person("designer"));
    let (status, echoed) = through(
        &nginx,
        designer,
        "GET",
        &format!("/accounts/{m}/campaigns/templates/5"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{echoed}");
    assert!(
        echoed.starts_with(&format!("GET /accounts/{m}/campaigns/templates/5\n")),
        "{echoed}"
    );
    assert!(
        echoed.contains("remote-email: designer@example.com"),
        "{echoed}"
    );
    assert!(echoed.contains("x-sharing-role: designer"), "{echoed}");
    assert!(
        echoed.contains(&format!("x-sharing-account: {m}\n")),
        "{echoed}"
    );
    let groups = echoed
        .lines()
        .find_map(|line| line.strip_prefix("remote-groups: "))
        .unwrap();
    assert!(
        groups.split(',').any(|g| g == "campaigns:templates.lock"),
        "{groups}"
    );
    assert!(
        !groups.split(',').any(|g| g == "campaigns:send"),
        "{groups}"
    );
    for (method, path) in [
        ("POST", format!("/accounts/{m}/campaigns/9/send")),
        ("GET", format!("/accounts/{m}/billing/invoices")),
    ] {
        let (status, body) = through(&nginx, designer, method, &path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {body}");
        assert!(
            body.starts_with("Your access to this account does not include "),
            "the service's reason: {body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_nginx_a_manager_reaches_templates_sending_and_billing() {
    let (_app, team, nginx) = set_up(&[("manager", &[("role_0", "manager")])]).await;
    let (m, manager) = (&team.master, team.person("manager"));
    for (method, path) in [
        ("GET", format!("/accounts/{m}/campaigns/templates/5")),
        ("POST", format!("/accounts/{m}/campaigns/9/send")),
        ("GET", format!("/accounts/{m}/billing/invoices")),
    ] {
        let (status, echoed) = through(&nginx, manager, method, &path).await;
        assert_eq!(status, StatusCode::OK, "{method} {path}: {echoed}");
        assert!(echoed.contains("x-sharing-role: manager"), "{echoed}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_nginx_a_marketer_opens_a_transactional_template_but_cannot_publish_it() {
    let (_app, team, nginx) = set_up(&[("marketer", &[("role_0", "marketer")])]).await;
    let (m, marketer) = (&team.master, team.person("marketer"));
    let template = format!("/accounts/{m}/transactional/templates/3");
    let (status, echoed) = through(&nginx, marketer, "GET", &template).await;
    assert_eq!(status, StatusCode::OK, "{echoed}");
    let (status, _) = through(&nginx, marketer, "POST", &format!("{template}/publish")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_nginx_drafts_only_turns_a_developers_publish_into_403() {
    let (_app, team, nginx) = set_up(&[
        ("developer", &[("role_0", "developer")]),
        (
            "drafter",
            &[("role_0", "developer"), ("restriction_0_drafts_only", "on")],
        ),
    ])
    .await;
    let publish = format!(
        "/accounts/{}/transactional/templates/3/publish",
        team.master
    );
    let (status, echoed) = through(&nginx, team.person("developer"), "POST", &publish).await;
    assert_eq!(status, StatusCode::OK, "without the restriction: {echoed}");
    let (status, _) = through(&nginx, team.person("drafter"), "POST", &publish).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_nginx_a_signed_out_browser_signs_in_and_lands_back_on_the_platform() {
    let (app, team, nginx) = set_up(&[("manager", &[("role_0", "manager")])]).await;
    let visitor = app.another_visitor();
    let wanted = nginx.url(&format!(
        "/accounts/{}/statistics/overview?days=7",
        team.master
    ));
    let response = visitor
        .client
        .get(&wanted)
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    let sign_in = location(&response);
    let expected = format!(
        "{}/sign-in?next={}",
        app.base_url,
        form_urlencoded::byte_serialize(wanted.as_bytes()).collect::<String>()
    );
    assert_eq!(sign_in, expected);
    let (status, page) = visitor
        .get_html(sign_in.trim_start_matches(&app.base_url))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("name=\"next\""),
        "the form carries where to go"
    );
    let signed_in = visitor
        .submit(
            sign_in.trim_start_matches(&app.base_url),
            "/sign-in",
            &[
                ("email", "manager@example.com"),
                ("password", PASSWORD),
                ("next", &wanted),
            ],
        )
        .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&signed_in), wanted, "back on the platform");
    let landed = visitor.client.get(&wanted).send().await.unwrap();
    assert_eq!(landed.status(), StatusCode::OK);
    assert!(
        landed
            .text()
            .await
            .unwrap()
            .contains("remote-email: manager@example.com")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_nginx_delete_access_on_one_process_refuses_the_next_request_via_the_other() {
    let port = free_port();
    let app = gate_app(&format!("http://127.0.0.1:{port}")).await;
    let team = team(&app, &[("manager", &[("role_0", "manager")])]).await;
    // nginx asks the second process; the owner deletes the access on the first.
    let other = app.second_server().await;
    let nginx = Nginx::start(port, other.base_url.trim_start_matches("http://")).await;
    let manager = team.person("manager");
    let path = format!("/accounts/{}/campaigns/list", team.master);
    assert_eq!(
        through(&nginx, manager, "GET", &path).await.0,
        StatusCode::OK
    );
    let id = app.scalar("SELECT id FROM members");
    let delete = format!("/sharing/people/{id}/delete");
    let deleted = app.submit(&delete, &delete, &[]).await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    let (status, body) = through(&nginx, manager, "GET", &path).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the very next request: {body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_nginx_a_client_sent_remote_email_never_reaches_the_platform() {
    let (_app, team, nginx) = set_up(&[("designer", &[("role_0", "designer")])]).await;
    let forged = [
        ("Remote-Email", "ceo@example.com"),
        ("Remote-User", "999"),
        ("Remote-Groups", "billing"),
        ("X-Sharing-Role", "owner"),
        ("X-Sharing-Account", "999"),
    ];
    // Signed in: the platform sees the service's word, not the client's.
    let mut request = team
        .person("designer")
        .client
        .get(nginx.url(&format!("/accounts/{}/campaigns/list", team.master)));
    for (name, value) in forged {
        request = request.header(name, value);
    }
    let echoed = request.send().await.unwrap().text().await.unwrap();
    assert!(
        echoed.contains("remote-email: designer@example.com"),
        "{echoed}"
    );
    for (_, value) in forged {
        assert!(
            !echoed.contains(&format!(": {value}\n")),
            "{value} got through: {echoed}"
        );
    }
    // A public page: nobody is named, whatever the client says.
    let mut request = reqwest::Client::new().get(nginx.url("/health"));
    for (name, value) in forged {
        request = request.header(name, value);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let echoed = response.text().await.unwrap();
    assert_eq!(echoed, "GET /health\n", "no identity header at all");
}
