//! docs/permissions.md is the permission matrix the code computes (INTEGRATION.md S14): rendered
//! from `domain::vocabulary`, so the documentation cannot drift from what the gate enforces.

#[test]
fn docs_permissions_md_is_the_matrix_the_code_computes() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/permissions.md");
    let rendered = account_sharing::domain::vocabulary::matrix_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &rendered).unwrap();
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    if written != rendered {
        let first = written
            .lines()
            .zip(rendered.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || "the length".to_owned(),
                |line| format!("line {}", line + 1),
            );
        panic!(
            "docs/permissions.md differs from the code's matrix at {first}: run \
             `UPDATE_DOCS=1 ./dev test --test app vocabulary` and review the change"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_each_role_opens_on_the_form_comes_from_the_vocabulary() {
    let app = crate::common::spawn_app().await;
    app.owner("olive@example.com", "gold-premium").await;
    let (_, form) = app.get_html("/sharing/invite").await;
    let opens = crate::common::texts(&form, ".roles-help__opens");
    assert_eq!(opens.len(), 6);
    assert_eq!(
        opens[2],
        "Opens: Transactional (publish templates, lock sections, labels); Statistics (monitoring alerts); Account Management (API keys)."
    );
    assert_eq!(
        opens[4],
        "Opens: Campaigns (lock sections, labels); Transactional (lock sections, labels)."
    );
    assert_eq!(
        opens[5],
        "Opens the areas you tick, each with everything in it."
    );
}

/// The README walks an operator through the sample proxy configurations: they are the very files
/// the suite runs (nginx) and ships (Traefik, Caddy), so the README quotes them whole.
#[test]
fn the_readme_quotes_the_sample_proxy_configurations_as_they_are() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    for sample in ["nginx.conf", "traefik.yml", "Caddyfile"] {
        let text = std::fs::read_to_string(root.join("examples/platform").join(sample)).unwrap();
        assert!(
            readme.contains(&format!("```\n{text}```")) || readme.contains(&format!("\n{text}```")),
            "README.md's Gate your platform no longer quotes examples/platform/{sample} as it is"
        );
    }
}
