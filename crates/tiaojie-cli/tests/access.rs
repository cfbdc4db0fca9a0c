//! The access matrix: every guarded command against every role (and no
//! user, and a wrong PIN) on the real binary. Nothing is allowed that the
//! role does not allow; everything a role does allow goes through; every
//! look at full numbers and every export is in the access log, and nothing
//! refused is.

mod support;

use std::collections::BTreeSet;
use support::*;
use tiaojie_ledger::domain::roles::{Permission, Role};

/// A user's name and PIN.
type Login<'a> = Option<(&'a str, &'a str)>;

fn as_user(db: &Db, user: Login<'_>, args: &[&str]) -> Run {
    let mut all = vec!["--json"];
    let mut env = vec![];
    if let Some((name, pin)) = user {
        all.extend(["--user", name]);
        env.push(("TIAOJIE_PIN", pin));
    }
    all.extend_from_slice(args);
    run_with(&db.path, &all, &env)
}

fn refused_for_permission(r: &Run) -> bool {
    if r.code != 2 {
        return false;
    }
    let code = r.json()["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    code == "locked" || code == "not_yours" && r.stderr.contains("权限")
}

#[test]
fn no_role_is_allowed_more_than_it_should_be() {
    let village = village();
    let (_, number) = open_case(&village);
    let out = |name: &str| village.file(name).to_str().unwrap().to_string();

    // Single-user mode until the first user: anything goes.
    village.ok(&["export", "--out", &out("before.xlsx")]);
    let first = run_with(
        &village.path,
        &[
            "--json",
            "user",
            "add",
            "--name",
            "刘管理",
            "--role",
            "mediator",
        ],
        &[("TIAOJIE_NEW_PIN", "9731")],
    );
    assert_eq!(
        first.code, 2,
        "the first user must be able to add the others"
    );
    let r = run_with(
        &village.path,
        &[
            "--json",
            "user",
            "add",
            "--name",
            "刘管理",
            "--role",
            "admin",
        ],
        &[("TIAOJIE_NEW_PIN", "9731")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let admin = ("刘管理", "9731");
    let people = [
        ("李主任", Role::Officer, "2468"),
        ("王调解", Role::Mediator, "1357"),
        ("赵督导", Role::Supervisor, "8642"),
    ];
    for (name, role, pin) in people {
        let mut args = vec![
            "--json",
            "--user",
            admin.0,
            "user",
            "add",
            "--name",
            name,
            "--role",
            role.key(),
        ];
        let _ = &mut args;
        let r = run_with(
            &village.path,
            &args,
            &[("TIAOJIE_PIN", admin.1), ("TIAOJIE_NEW_PIN", pin)],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    }

    let commands: Vec<(&str, Vec<String>, Vec<Permission>)> = vec![
        (
            "case list",
            vec!["case".into(), "list".into()],
            vec![Permission::HandleCases],
        ),
        (
            "case show",
            vec!["case".into(), "show".into(), number.clone()],
            vec![Permission::HandleCases],
        ),
        (
            "case show --full-numbers",
            vec![
                "case".into(),
                "show".into(),
                number.clone(),
                "--full-numbers".into(),
            ],
            vec![Permission::HandleCases, Permission::ViewFullNumbers],
        ),
        (
            "export",
            vec!["export".into(), "--out".into(), out("a.xlsx")],
            vec![Permission::Export],
        ),
        (
            "export --full-numbers",
            vec![
                "export".into(),
                "--out".into(),
                out("b.xlsx"),
                "--full-numbers".into(),
            ],
            vec![Permission::Export, Permission::ViewFullNumbers],
        ),
        (
            "doc",
            vec![
                "doc".into(),
                number.clone(),
                "--kind".into(),
                "intake".into(),
                "--format".into(),
                "docx".into(),
                "--out".into(),
                out("c.docx"),
            ],
            vec![Permission::Export],
        ),
        (
            "report",
            vec![
                "report".into(),
                "--month".into(),
                "2026-03".into(),
                "--out".into(),
                out("d.xlsx"),
            ],
            vec![Permission::Export],
        ),
        (
            "events export",
            vec![
                "events".into(),
                "export".into(),
                "--file".into(),
                out("e.json"),
            ],
            vec![Permission::Export],
        ),
        (
            "mediator add",
            vec![
                "mediator".into(),
                "add".into(),
                "--name".into(),
                "新调解员".into(),
                "--role".into(),
                "村干部".into(),
            ],
            vec![Permission::ChangeRoster],
        ),
        (
            "case accept",
            vec!["case".into(), "accept".into(), number.clone()],
            vec![Permission::AcceptEscalation],
        ),
        (
            "access-log",
            vec!["access-log".into()],
            vec![Permission::ManageUsers],
        ),
        (
            "purge --list",
            vec!["purge".into(), "--list".into()],
            vec![Permission::PurgeCases],
        ),
    ];
    let mut callers: Vec<(String, Option<Role>, Login<'_>)> = vec![
        ("（未登录）".into(), None, None),
        ("刘管理".into(), Some(Role::Admin), Some(admin)),
    ];
    for (name, role, pin) in &people {
        callers.push((name.to_string(), Some(*role), Some((name, pin))));
    }
    let mut allowed_sensitive = BTreeSet::new();
    let mut checked = 0;
    for (who, role, user) in &callers {
        for (what, args, needs) in &commands {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let r = as_user(&village, *user, &args);
            let expected = role.is_some_and(|role| needs.iter().all(|p| role.allows(*p)));
            if expected {
                assert!(
                    !refused_for_permission(&r),
                    "{who} {what}: refused\n{}",
                    r.stderr
                );
                if what.contains("full-numbers") || ["export", "doc", "report"].contains(what) {
                    allowed_sensitive.insert(who.clone());
                }
            } else {
                assert!(
                    refused_for_permission(&r),
                    "{who} {what}: allowed!\n{}\n{}",
                    r.stderr,
                    r.stdout
                );
                assert!(!r.stdout.contains("张三"), "{who} {what} leaked a name");
            }
            checked += 1;
        }
    }
    // A wrong PIN is refused before anything.
    let r = as_user(&village, Some(("李主任", "0000")), &["case", "list"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("登录密码不正确"), "{}", r.stderr);

    // The log: every allowed look and export, by name; nothing of the refused.
    let log = as_user(&village, Some(admin), &["access-log", "--limit", "500"]);
    assert_eq!(log.code, 0, "{}", log.stderr);
    let entries = log.json();
    let users: BTreeSet<String> = entries
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] != "add_user")
        .map(|e| e["user"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(users, allowed_sensitive, "{entries}");
    assert!(
        !entries.to_string().contains("4303021980"),
        "the log holds no ID numbers"
    );
    println!(
        "access matrix: {checked} command × role checks, {} log entries",
        entries.as_array().unwrap().len()
    );
}
