//! `cargo run --example platform`: the stand-in email platform on PLATFORM_ADDRESS
//! (127.0.0.1:8081 unless set), for trying the sample proxy configurations by hand.

mod server;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::var("PLATFORM_ADDRESS").unwrap_or_else(|_| "127.0.0.1:8081".into());
    let listener = std::net::TcpListener::bind(&address)?;
    println!("The stand-in platform answers on http://{address}");
    server::serve(listener)?.await
}
