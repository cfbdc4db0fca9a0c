//! HTTPS between devices and the hub: a county runs its own certificate
//! authority; a device enrolled with that CA syncs, one given another CA (or
//! none, trusting only the public roots) is refused in words, and plain HTTP
//! to another machine is refused before anything is sent.

mod support;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use std::path::{Path, PathBuf};
use support::hub::{Backend, Hub};
use support::*;

struct Pki {
    ca: PathBuf,
    other_ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

fn ca(name: &str) -> (CertificateParams, KeyPair, String) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    let cert = params.self_signed(&key).unwrap();
    (params, key, cert.pem())
}

fn pki(dir: &Path) -> Pki {
    let (params, ca_key, ca_pem) = ca("青山区矛盾纠纷调解中心 CA");
    let issuer = Issuer::from_params(&params, &ca_key);
    let key = KeyPair::generate().unwrap();
    let server = CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    let (_, _, other_pem) = ca("别处的 CA");
    let p = Pki {
        ca: dir.join("ca.pem"),
        other_ca: dir.join("other-ca.pem"),
        cert: dir.join("hub.crt"),
        key: dir.join("hub.key"),
    };
    std::fs::write(&p.ca, ca_pem).unwrap();
    std::fs::write(&p.other_ca, other_pem).unwrap();
    std::fs::write(&p.cert, server.pem()).unwrap();
    std::fs::write(&p.key, key.serialize_pem()).unwrap();
    p
}

#[test]
fn devices_sync_over_https_with_the_countys_ca_only() {
    let dir = tempfile::tempdir().unwrap();
    let p = pki(dir.path());
    let hub = Hub::start_with_config(
        Backend::Sqlite,
        Some(&format!(
            "[tls]\ncert = \"{}\"\nkey = \"{}\"\n",
            p.cert.display(),
            p.key.display()
        )),
    );
    assert!(hub.url.starts_with("https://localhost:"), "{}", hub.url);
    hub.add_unit(DISTRICT, "青山区矛盾纠纷调解中心", 3, None);
    hub.add_unit(STATION, "青山派出所调解中心", 2, Some(DISTRICT));
    hub.add_unit(VILLAGE, "青山村调解室", 1, Some(STATION));

    // With the county's CA: enrolled, and a case goes up.
    let village = village();
    let code = hub.enroll_code(VILLAGE);
    village.ok(&[
        "sync",
        "enroll",
        "--hub",
        &hub.url,
        "--code",
        &code,
        "--ca",
        p.ca.to_str().unwrap(),
    ]);
    open_case(&village);
    let report = village.ok(&["sync"]);
    assert!(report["events_up"].as_u64().unwrap() > 0, "{report}");
    assert_eq!(report["pending_up"], 0, "{report}");
    let health = hub.admin(&["device", "list"]);
    assert!(health.to_string().contains(VILLAGE), "{health}");

    // Another CA, or only the public roots: the hub is not trusted.
    for ca in [Some(&p.other_ca), None] {
        let other = village_named();
        let code = hub.enroll_code(VILLAGE);
        let mut args = vec!["sync", "enroll", "--hub", &hub.url, "--code", &code];
        if let Some(ca) = ca {
            args.extend(["--ca", ca.to_str().unwrap()]);
        }
        let (err, _) = other.refused(&args);
        assert_eq!(err["code"], "insecure", "{err}");
        assert!(
            err["message"].as_str().unwrap().contains("证书不受信任"),
            "{err}"
        );
    }

    // Plain HTTP to another machine: refused before any connection.
    let other = village_named();
    let (err, _) = other.refused(&[
        "sync",
        "enroll",
        "--hub",
        "http://192.0.2.10:8600",
        "--code",
        "X",
    ]);
    assert_eq!(err["code"], "insecure");
    assert!(err["message"].as_str().unwrap().contains("不加密"), "{err}");
}

/// Another laptop of the village, not enrolled.
fn village_named() -> Db {
    village()
}
