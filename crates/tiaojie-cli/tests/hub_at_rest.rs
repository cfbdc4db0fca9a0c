//! The hub's SQLite database encrypted at rest: encrypted in place while
//! the hub is stopped, refused at start without its passphrase, serving as
//! before with it, and holding no readable name or phone number.

mod support;

use std::process::Command;
use support::devices::{device, sync_until_done, work};
use support::hub::{Backend, Hub};
use support::*;

const VAR: &str = "TIAOJIE_HUB_PASSPHRASE";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hubs_database_is_encrypted_and_needs_its_passphrase() {
    let mut hub = Hub::start(Backend::Sqlite);
    hub.add_unit(DISTRICT, "青山区矛盾纠纷调解中心", 3, None);
    hub.add_unit(STATION, "青山派出所调解中心", 2, Some(DISTRICT));
    hub.add_unit(VILLAGE, "青山村调解室", 1, Some(STATION));
    let mut a = device(&hub, VILLAGE, 1).await;
    work(&mut a, 5);
    sync_until_done(&mut a, &hub.url).await;
    hub.terminate();

    // Without a passphrase there is nothing to encrypt with.
    let r = hub.admin_run(&["encrypt-db"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(VAR), "{}", r.stderr);
    hub.env.push((VAR.into(), "青山区中心2026".into()));
    hub.admin(&["encrypt-db"]);

    // The hub will not start without it.
    let path = hub.sqlite_path().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tiaojie"))
        .args([
            "server",
            "--listen",
            "127.0.0.1:0",
            "--database",
            &hub.database,
        ])
        .env_remove(VAR)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("已加密") && stderr.contains(VAR),
        "{stderr}"
    );

    // With it, as before: more cases go up.
    hub.restart();
    work(&mut a, 3);
    sync_until_done(&mut a, &hub.url).await;
    let devices = hub.admin(&["device", "list"]);
    assert!(devices.to_string().contains(VILLAGE), "{devices}");
    hub.terminate();
    for file in [path.clone(), path.with_extension("sqlite3-wal")] {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        for secret in [
            "张0".as_bytes(),
            b"13800138000",
            "排水沟".as_bytes(),
            b"SQLite format 3",
        ] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret),
                "{} holds {}",
                file.display(),
                String::from_utf8_lossy(secret)
            );
        }
    }
}
