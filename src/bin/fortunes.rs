//! TechEmpower's Fortunes test, rebuilt as its actix-web-diesel implementation does it
//! (frameworks/Rust/actix in TechEmpower/FrameworkBenchmarks), on this project's own stack: the
//! 12 rows, one diesel query through the same r2d2 pool and blocking-pool hop (`db::Db`), the row
//! added at request time, sorting by message, and an askama template. `./dev bench load` serves
//! it beside the service to measure the pages against it.

use account_sharing::{
    db::{self, Db},
    error::AppError,
};
use actix_web::{App, HttpResponse, HttpServer, web};
use askama::Template;
use diesel::prelude::*;

diesel::table! {
    fortune (id) {
        id -> Int4,
        message -> Varchar,
    }
}

#[derive(Queryable)]
struct Fortune {
    id: i32,
    message: String,
}

#[derive(Template)]
#[template(path = "fortunes.html")]
struct FortunesPage<'a> {
    items: &'a [Fortune],
}

/// The benchmark's own table and rows (its toolset/databases/postgres/create-postgres.sql).
const SETUP: &str = r#"
CREATE TABLE IF NOT EXISTS fortune (id integer PRIMARY KEY, message varchar(2048) NOT NULL);
INSERT INTO fortune (id, message) VALUES
  (1, 'fortune: No such file or directory'),
  (2, 'A computer scientist is someone who fixes things that aren''t broken.'),
  (3, 'After enough decimal places, nobody gives a damn.'),
  (4, 'A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1'),
  (5, 'A computer program does what you tell it to do, not what you want it to do.'),
  (6, 'Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen'),
  (7, 'Any program that runs right is obsolete.'),
  (8, 'A list is only as strong as its weakest link. — Donald Knuth'),
  (9, 'Feature: A bug with seniority.'),
  (10, 'Computers make very fast, very accurate mistakes.'),
  (11, '<script>alert("This should not be displayed in a browser alert box.");</script>'),
  (12, 'フレームワークのベンチマーク')
ON CONFLICT (id) DO NOTHING;
"#;

async fn fortunes(db: web::Data<Db>) -> Result<HttpResponse, AppError> {
    let mut items = db
        .run(|conn| Ok(fortune::table.load::<Fortune>(conn)?))
        .await?;
    items.push(Fortune {
        id: 0,
        message: "Additional fortune added at request time.".to_owned(),
    });
    items.sort_by(|a, b| a.message.cmp(&b.message));
    let body = FortunesPage { items: &items }.render()?;
    Ok(HttpResponse::Ok()
        .insert_header(("Server", "Actix"))
        .content_type("text/html; charset=utf-8")
        .body(body))
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let database_url = std::env::var("DATABASE_URL")?;
    let bind = std::env::var("BIND_ADDRESS").unwrap_or_else(|_| "127.0.0.1:8081".to_owned());
    let pool_size = match std::env::var("DATABASE_POOL_SIZE") {
        Ok(size) => size.parse()?,
        Err(_) => 8,
    };
    let pool = db::connect(&database_url, pool_size, true)?;
    diesel::connection::SimpleConnection::batch_execute(&mut pool.get()?, SETUP)?;
    let db = web::Data::new(Db::new(pool));
    HttpServer::new(move || {
        App::new()
            .app_data(db.clone())
            .route("/fortunes", web::get().to(fortunes))
    })
    .bind(bind)?
    .run()
    .await?;
    Ok(())
}
