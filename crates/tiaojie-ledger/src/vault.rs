//! Encryption at rest. A ledger file is encrypted by SQLCipher with a random
//! 256-bit data key. The key is kept beside the file (`<ledger>.key`),
//! wrapped (XChaCha20-Poly1305) by a key derived from the person's
//! passphrase with Argon2id, so that the file and the key file together are
//! still useless without the passphrase. Changing the passphrase re-wraps
//! the same data key; the ledger itself is not rewritten.

use crate::error::{LedgerError, Result};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use zeroize::{Zeroize, Zeroizing};

/// The shortest passphrase accepted.
pub const MIN_PASSPHRASE_CHARS: usize = 6;

/// The key SQLCipher encrypts the ledger with. Wiped from memory when
/// dropped.
#[derive(Clone)]
pub struct DataKey([u8; 32]);

impl Drop for DataKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

impl DataKey {
    pub fn random() -> Result<DataKey> {
        let mut k = [0u8; 32];
        getrandom::fill(&mut k)
            .map_err(|e| LedgerError::State(format!("无法生成随机密钥：{e}")))?;
        Ok(DataKey(k))
    }

    /// Opens an encrypted SQLite database on `conn` (any SQLCipher file made
    /// with this key: a ledger, the hub's store); a wrong key is refused here.
    pub fn apply_to(&self, conn: &rusqlite::Connection) -> Result<()> {
        crate::store::apply_key(conn, self)
    }

    /// The `PRAGMA key` value: a raw key, so SQLCipher runs no KDF of its own.
    pub(crate) fn pragma(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", hex::encode(self.0)))
    }
}

/// The key file's contents.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct KeyFile {
    version: u32,
    kdf: String,
    m_kib: u32,
    t: u32,
    p: u32,
    salt: String,
    nonce: String,
    wrapped: String,
}

/// Where the key of the ledger at `ledger` is kept.
pub fn key_path(ledger: &Path) -> PathBuf {
    let mut name = ledger.as_os_str().to_owned();
    name.push(".key");
    PathBuf::from(name)
}

/// Whether the ledger at `ledger` is encrypted (has a key file).
pub fn is_encrypted(ledger: &Path) -> bool {
    key_path(ledger).is_file()
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn check_passphrase(p: &str) -> Result<()> {
    if p.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(LedgerError::invalid(
            "passphrase",
            format!("口令至少 {MIN_PASSPHRASE_CHARS} 个字符"),
        ));
    }
    Ok(())
}

/// Argon2id with 64 MiB and 3 passes: a second or so on an old laptop, once
/// per unlock.
const M_KIB: u32 = 64 * 1024;
const T: u32 = 3;
const P: u32 = 1;

fn derive(
    passphrase: &str,
    salt: &[u8],
    m_kib: u32,
    t: u32,
    p: u32,
) -> Result<Zeroizing<[u8; 32]>> {
    let params = Params::new(m_kib, t, p, Some(32))
        .map_err(|e| LedgerError::State(format!("密钥参数错误：{e}")))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
        .map_err(|e| LedgerError::State(format!("无法由口令生成密钥：{e}")))?;
    Ok(out)
}

fn wrap(key: &DataKey, passphrase: &str) -> Result<KeyFile> {
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut salt).map_err(|e| LedgerError::State(format!("无法生成随机数：{e}")))?;
    getrandom::fill(&mut nonce).map_err(|e| LedgerError::State(format!("无法生成随机数：{e}")))?;
    let kek = derive(passphrase, &salt, M_KIB, T, P)?;
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let wrapped = cipher
        .encrypt(XNonce::from_slice(&nonce), key.0.as_ref())
        .map_err(|_| LedgerError::State("密钥加密失败".into()))?;
    Ok(KeyFile {
        version: 1,
        kdf: "argon2id".into(),
        m_kib: M_KIB,
        t: T,
        p: P,
        salt: b64().encode(salt),
        nonce: b64().encode(nonce),
        wrapped: b64().encode(wrapped),
    })
}

fn write_key_file(path: &Path, file: &KeyFile) -> Result<()> {
    let text = serde_json::to_string_pretty(file)?;
    let tmp = path.with_extension("key-new");
    std::fs::write(&tmp, text)
        .and_then(|_| sync_to_disk(&tmp))
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| LedgerError::State(format!("无法保存密钥文件 {}：{e}", path.display())))
}

/// Flushes a written file to the disk. Windows flushes only a file opened
/// for writing (a read-only handle gets "Access denied").
fn sync_to_disk(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)?
        .sync_all()
}

fn pending_path(ledger: &Path) -> PathBuf {
    let mut name = ledger.as_os_str().to_owned();
    name.push(".encrypted");
    PathBuf::from(name)
}

/// Finishes an encryption that a crash interrupted: the encrypted copy and
/// its key were both saved, the copy had not yet replaced the plain file.
pub(crate) fn finish_pending(ledger: &Path) -> Result<()> {
    let pending = pending_path(ledger);
    if pending.is_file() {
        if is_encrypted(ledger) {
            for suffix in ["-wal", "-shm"] {
                let mut n = ledger.as_os_str().to_owned();
                n.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(n));
            }
            std::fs::rename(&pending, ledger)
                .map_err(|e| LedgerError::State(format!("无法完成台账加密：{e}")))?;
        } else {
            // The key never got its name: the plain file is the ledger.
            let _ = std::fs::remove_file(&pending);
        }
    }
    Ok(())
}

/// Encrypts a plain ledger file in place with a new key wrapped by
/// `passphrase`: an encrypted copy is made beside it, then its key file is
/// saved, then the copy replaces the plain file (a crash in between is
/// finished the next time the ledger opens).
pub fn encrypt_file(ledger: &Path, passphrase: &str) -> Result<DataKey> {
    check_passphrase(passphrase)?;
    if is_encrypted(ledger) {
        return Err(LedgerError::State("台账已经加密".into()));
    }
    if !ledger.is_file() {
        return Err(LedgerError::State(format!(
            "台账文件不存在：{}",
            ledger.display()
        )));
    }
    let pending = pending_path(ledger);
    let _ = std::fs::remove_file(&pending);
    let key = DataKey::random()?;
    {
        let conn = rusqlite::Connection::open(ledger)?;
        hold_alone(&conn)?;
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        export(&conn, &pending, &key)?;
    }
    sync_to_disk(&pending).map_err(|e| LedgerError::State(format!("无法保存加密的台账：{e}")))?;
    write_key_file(&key_path(ledger), &wrap(&key, passphrase)?)?;
    finish_pending(ledger)?;
    Ok(key)
}

/// Takes the ledger file for `conn` alone until it closes, or refuses when
/// another connection has it open: the desktop app, its sync, a running
/// hub. Otherwise the file would be replaced under that program, which on
/// Linux goes on writing to the replaced file (its records lost) and on
/// Windows keeps the replacement from happening at all.
fn hold_alone(conn: &rusqlite::Connection) -> Result<()> {
    let taken = conn
        .pragma_update(None, "locking_mode", "EXCLUSIVE")
        .and_then(|()| conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;"));
    match taken {
        Ok(()) => Ok(()),
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ) =>
        {
            Err(LedgerError::State(
                "台账正被另一个程序打开（调解台账窗口、同步或同步中心）：请先关闭它，再加密".into(),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// Copies the database of `conn` into a new file at `dest` encrypted with
/// `key`, schema version included (the migrations go by it).
pub(crate) fn export(conn: &rusqlite::Connection, dest: &Path, key: &DataKey) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let target = dest.display().to_string().replace('\'', "''");
    let pragma = key.pragma();
    conn.execute_batch(&format!(
        "ATTACH DATABASE '{target}' AS export KEY \"{}\";
         SELECT sqlcipher_export('export');
         PRAGMA export.user_version = {version};
         DETACH DATABASE export;",
        pragma.as_str()
    ))?;
    Ok(())
}

/// Makes a new data key for the ledger at `ledger`, wrapped by
/// `passphrase`, and saves the key file. Refuses if one exists.
pub fn create(ledger: &Path, passphrase: &str) -> Result<DataKey> {
    check_passphrase(passphrase)?;
    let path = key_path(ledger);
    if path.exists() {
        return Err(LedgerError::State(format!(
            "密钥文件已存在：{}",
            path.display()
        )));
    }
    let key = DataKey::random()?;
    write_key_file(&path, &wrap(&key, passphrase)?)?;
    Ok(key)
}

/// The data key of the ledger at `ledger`, if `passphrase` is right.
pub fn unlock(ledger: &Path, passphrase: &str) -> Result<DataKey> {
    let path = key_path(ledger);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| LedgerError::State(format!("无法读取密钥文件 {}：{e}", path.display())))?;
    let broken = || LedgerError::State(format!("密钥文件 {} 已损坏", path.display()));
    let f: KeyFile = serde_json::from_str(&text).map_err(|_| broken())?;
    if f.version != 1 || f.kdf != "argon2id" {
        return Err(broken());
    }
    let salt = b64().decode(&f.salt).map_err(|_| broken())?;
    let nonce = b64().decode(&f.nonce).map_err(|_| broken())?;
    let wrapped = b64().decode(&f.wrapped).map_err(|_| broken())?;
    if nonce.len() != 24 {
        return Err(broken());
    }
    let kek = derive(passphrase, &salt, f.m_kib, f.t, f.p)?;
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let plain = Zeroizing::new(
        cipher
            .decrypt(XNonce::from_slice(&nonce), wrapped.as_ref())
            .map_err(|_| LedgerError::invalid("passphrase", "口令不正确"))?,
    );
    let bytes: [u8; 32] = plain.as_slice().try_into().map_err(|_| broken())?;
    Ok(DataKey(bytes))
}

/// Re-wraps the ledger's data key with a new passphrase.
/// A problem with either is named by its role: `old` or `new`.
pub fn change_passphrase(ledger: &Path, old: &str, new: &str) -> Result<()> {
    check_passphrase(new).map_err(|e| e.field_renamed("passphrase", "new"))?;
    let key = unlock(ledger, old).map_err(|e| e.field_renamed("passphrase", "old"))?;
    write_key_file(&key_path(ledger), &wrap(&key, new)?)
}

/// Saves a key file for `key` beside another ledger file (a backup),
/// wrapped by `passphrase`.
pub fn save_copy(ledger: &Path, key: &DataKey, passphrase: &str) -> Result<()> {
    check_passphrase(passphrase)?;
    write_key_file(&key_path(ledger), &wrap(key, passphrase)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_and_unwraps_and_refuses_a_wrong_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("l.sqlite3");
        let k = create(&db, "青山村2026").unwrap();
        assert!(is_encrypted(&db));
        assert_eq!(unlock(&db, "青山村2026").unwrap().0, k.0);
        let e = unlock(&db, "青山村2025").unwrap_err();
        assert_eq!(e.field(), Some("passphrase"));
        assert!(e.to_string().contains("口令不正确"));
        change_passphrase(&db, "青山村2026", "白石村2027").unwrap();
        assert_eq!(unlock(&db, "白石村2027").unwrap().0, k.0);
        assert!(unlock(&db, "青山村2026").is_err());
        assert!(create(&db, "whatever123").is_err());
        // Each problem names its box: the new one too short, the old one
        // wrong.
        assert_eq!(
            change_passphrase(&db, "白石村2027", "12345")
                .unwrap_err()
                .field(),
            Some("new")
        );
        let wrong = change_passphrase(&db, "青山村2026", "白石村2028").unwrap_err();
        assert_eq!(wrong.field(), Some("old"));
        assert!(wrong.to_string().contains("口令不正确"), "{wrong}");
        // The key file names no key.
        let text = std::fs::read_to_string(key_path(&db)).unwrap();
        assert!(!text.contains(&hex::encode(k.0)));
    }
}
