//! The UI's contract with the shell is generated, never written by hand:
//! `ui/src/api/generated/app.ts` from the Rust types the commands take and
//! give (`tiaojie_desktop::typescript`), and `generated/commands.ts`, the
//! command table, from the command functions themselves: every command the
//! app registers (`generate_handler!` in lib.rs), its parameters in order
//! with their types, what it returns. The committed files must be what the
//! Rust code makes now; `TIAOJIE_WRITE_TS=1 cargo test -p tiaojie-desktop
//! --test typescript` rewrites them.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use syn::{FnArg, GenericArgument, Item, Pat, PathArguments, ReturnType, Type};

const COMMANDS_PATH: &str = "ui/src/api/generated/commands.ts";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_default()
}

/// The commands the app registers, as (module, function), in order.
fn registered() -> Vec<(String, String)> {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let start = lib
        .find("generate_handler![")
        .expect("the app registers its commands");
    let list = &lib[start + "generate_handler![".len()..];
    let list = &list[..list.find(']').unwrap()];
    list.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let parts: Vec<&str> = p.split("::").collect();
            assert!(
                parts.len() == 3 && parts[0] == "commands",
                "a command is registered as commands::<module>::<name>: {p}"
            );
            (parts[1].to_string(), parts[2].to_string())
        })
        .collect()
}

/// One command as the window calls it.
struct Command {
    name: String,
    doc: Vec<String>,
    /// (parameter, TypeScript type), the shell's own parameters left out.
    params: Vec<(String, String)>,
    result: String,
}

fn find_fn(module: &str, name: &str) -> syn::ItemFn {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/commands")
        .join(format!("{module}.rs"));
    let file = syn::parse_file(&std::fs::read_to_string(&path).unwrap()).unwrap();
    file.items
        .into_iter()
        .find_map(|item| match item {
            Item::Fn(f) if f.sig.ident == name => Some(f),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no fn {name} in {}", path.display()))
}

fn command(module: &str, name: &str) -> Command {
    command_of(&find_fn(module, name))
}

/// A command as its function declares it.
fn command_of(f: &syn::ItemFn) -> Command {
    let name = f.sig.ident.to_string();
    let snake = f.attrs.iter().any(|a| {
        a.path()
            .segments
            .last()
            .is_some_and(|s| s.ident == "command")
            && a.meta
                .require_list()
                .is_ok_and(|l| l.tokens.to_string().contains("snake_case"))
    });
    let doc = f
        .attrs
        .iter()
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value().trim().to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let mut params = Vec::new();
    for input in &f.sig.inputs {
        let FnArg::Typed(p) = input else {
            panic!("{name}: a command takes no self")
        };
        if is_shell(&p.ty) {
            continue;
        }
        let Pat::Ident(id) = &*p.pat else {
            panic!("{name}: parameters are plain names")
        };
        params.push((id.ident.to_string(), ts(&p.ty)));
    }
    assert!(
        snake || params.is_empty(),
        "{name}: a command with parameters is declared \
         #[tauri::command(rename_all = \"snake_case\")], so that the window \
         names them as Rust does"
    );
    let result = match &f.sig.output {
        ReturnType::Default => "void".to_string(),
        ReturnType::Type(_, t) => ts(t),
    };
    Command {
        name,
        doc,
        params,
        result,
    }
}

/// Parameters Tauri fills in itself: the state, the app, the window.
fn is_shell(ty: &Type) -> bool {
    let Type::Path(p) = ty else { return false };
    let last = p.path.segments.last().unwrap().ident.to_string();
    matches!(
        last.as_str(),
        "State" | "AppHandle" | "Window" | "WebviewWindow"
    )
}

fn generic_args(seg: &syn::PathSegment) -> Vec<&Type> {
    match &seg.arguments {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The TypeScript type of a Rust type as serde sends it.
fn ts(ty: &Type) -> String {
    match ty {
        Type::Reference(r) => ts(&r.elem),
        Type::Tuple(t) if t.elems.is_empty() => "void".into(),
        Type::Tuple(t) => format!(
            "[{}]",
            t.elems.iter().map(ts).collect::<Vec<_>>().join(", ")
        ),
        Type::Path(p) => {
            let seg = p.path.segments.last().unwrap();
            let args = generic_args(seg);
            match seg.ident.to_string().as_str() {
                "String" | "str" | "Uuid" | "NaiveDate" | "PathBuf" => "string".into(),
                "bool" => "boolean".into(),
                "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize"
                | "f32" | "f64" => "number".into(),
                // What a command returns or rejects with (CommandError).
                "CmdResult" | "Result" => ts(args[0]),
                "Option" => format!("{} | null", ts(args[0])),
                "Vec" => {
                    let inner = ts(args[0]);
                    if inner.contains(' ') {
                        format!("Array<{inner}>")
                    } else {
                        format!("{inner}[]")
                    }
                }
                name if args.is_empty() => name.to_string(),
                name => format!(
                    "{name}<{}>",
                    args.iter().map(|t| ts(t)).collect::<Vec<_>>().join(", ")
                ),
            }
        }
        _ => panic!(
            "a command takes or gives a type the generator does not know: only named types, references and tuples"
        ),
    }
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in snake.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A parameter's name in TypeScript (a word TypeScript reserves gets `_`).
fn ts_param(name: &str) -> String {
    match name {
        "new" | "default" | "function" | "class" | "delete" | "in" | "var" | "this" => {
            format!("{name}_")
        }
        _ => name.to_string(),
    }
}

fn commands_file(commands: &[Command], ledger: &[String], app: &[String]) -> String {
    let mut body = String::new();
    body.push_str(
        "\n/** Every command: what it takes (its arguments, as the window names them) \
         and what it gives. */\nexport interface Commands {\n",
    );
    for c in commands {
        let args: Vec<String> = c.params.iter().map(|(n, t)| format!("{n}: {t}")).collect();
        let args = if args.is_empty() {
            "{}".to_string()
        } else {
            format!("{{ {} }}", args.join(", "))
        };
        let _ = writeln!(
            body,
            "  {}: {{ args: {args}, result: {} }}",
            c.name, c.result
        );
    }
    body.push_str("}\n\n/** The commands as functions, their parameters in the Rust order. */\nexport const api = {\n");
    for c in commands {
        if !c.doc.is_empty() {
            let _ = writeln!(body, "  /** {} */", c.doc.join(" "));
        }
        // Trailing optional parameters may be left out.
        let optional_from = c
            .params
            .iter()
            .rposition(|(_, t)| !t.ends_with(" | null"))
            .map_or(0, |i| i + 1);
        let params: Vec<String> = c
            .params
            .iter()
            .enumerate()
            .map(|(i, (n, t))| {
                let default = if i >= optional_from { " = null" } else { "" };
                format!("{}: {t}{default}", ts_param(n))
            })
            .collect();
        let args: Vec<String> = c
            .params
            .iter()
            .map(|(n, _)| {
                let p = ts_param(n);
                if p == *n { p } else { format!("{n}: {p}") }
            })
            .collect();
        let call_args = if args.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", args.join(", "))
        };
        let _ = writeln!(
            body,
            "  {}: ({}) => call<{}>('{}'{call_args}),",
            camel(&c.name),
            params.join(", "),
            c.result,
            c.name
        );
    }
    body.push_str("}\n");
    let mut out = String::from(
        "// Generated from the desktop app's command functions (src-tauri/src/commands,\n\
         // as lib.rs registers them): do not edit. Regenerate with\n\
         //   TIAOJIE_WRITE_TS=1 cargo test -p tiaojie-desktop --test typescript\n\n\
         import { call } from '../ipc'\n",
    );
    let from_app = tiaojie_desktop::typescript::used_names(&body, app);
    let from_ledger: Vec<String> = tiaojie_desktop::typescript::used_names(&body, ledger)
        .into_iter()
        .filter(|n| !from_app.contains(n))
        .collect();
    if !from_app.is_empty() {
        let _ = writeln!(
            out,
            "import type {{ {} }} from './app'",
            from_app.join(", ")
        );
    }
    if !from_ledger.is_empty() {
        let _ = writeln!(
            out,
            "import type {{ {} }} from './ledger'",
            from_ledger.join(", ")
        );
    }
    out.push_str(&body);
    out
}

/// Compares (or, with TIAOJIE_WRITE_TS=1, writes) one generated file.
fn check(rel: &str, made: &str) {
    let path = root().join(rel);
    if std::env::var("TIAOJIE_WRITE_TS").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, made).unwrap();
        return;
    }
    assert!(
        read(rel) == made,
        "{rel} is not what the Rust code makes: regenerate it with \
         TIAOJIE_WRITE_TS=1 cargo test -p tiaojie-desktop --test typescript"
    );
}

#[test]
fn the_committed_command_table_and_types_are_what_the_rust_code_makes() {
    let ledger_file = read(tiaojie_ledger::typescript::PATH);
    let ledger = tiaojie_desktop::typescript::exported_names(&ledger_file);
    assert!(
        ledger.iter().any(|n| n == "CaseDetail"),
        "the ledger's declarations are generated first"
    );
    let app_file = tiaojie_desktop::typescript::file(&ledger);
    check(tiaojie_desktop::typescript::PATH, &app_file);
    let app = tiaojie_desktop::typescript::exported_names(&app_file);

    let commands: Vec<Command> = registered()
        .iter()
        .map(|(module, name)| command(module, name))
        .collect();
    assert!(commands.len() >= 40, "{} commands", commands.len());
    let made = commands_file(&commands, &ledger, &app);
    check(COMMANDS_PATH, &made);

    // Every type a command names is declared in one of the two files.
    let known: Vec<&str> = ledger.iter().chain(&app).map(String::as_str).collect();
    for c in &commands {
        let named = c
            .params
            .iter()
            .map(|(_, t)| t.as_str())
            .chain([c.result.as_str()]);
        for t in named {
            for word in t.split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_')) {
                let builtin = ["", "string", "number", "boolean", "null", "void", "Array"];
                assert!(
                    builtin.contains(&word) || known.contains(&word),
                    "{}: the type {word} is not generated for the UI",
                    c.name
                );
            }
        }
    }
}

#[test]
fn a_changed_signature_changes_the_table() {
    // What the check above relies on: the table follows the function.
    let mut f: syn::ItemFn = syn::parse_str(
        r#"
        /// Shows a case.
        #[tauri::command(rename_all = "snake_case")]
        pub fn case_detail(state: State<'_, AppState>, case_id: Uuid) -> CmdResult<CaseDetail> {
            Ok(state.ledger()?.case_detail(case_id)?)
        }
        "#,
    )
    .unwrap();
    let table = |f: &syn::ItemFn| commands_file(&[command_of(f)], &["CaseDetail".into()], &[]);
    let before = table(&f);
    assert!(
        before.contains(
            "caseDetail: (case_id: string) => call<CaseDetail>('case_detail', { case_id }),"
        ),
        "{before}"
    );
    f.sig
        .inputs
        .push(syn::parse_str("full: Option<bool>").unwrap());
    let after = table(&f);
    assert!(
        after.contains("(case_id: string, full: boolean | null = null) =>"),
        "{after}"
    );
    assert_ne!(before, after);
}
