//! Photos and scans in a case file: the rule and projection of the two
//! attachment events, the bytes stored once by content in `blobs` (inside
//! the ledger file, so encrypted, backed up and scrubbed as it is), and the
//! ledger's methods for them.

use super::apply_case::CaseHead;
use super::{Ledger, log};
use crate::domain::attachment::{self, Content};
use crate::domain::labels::{AttachmentKind, Stored};
use crate::error::{Entity, LedgerError, Result};
use crate::event::{Event, EventBody, body};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use uuid::Uuid;

/// A file ready to be attached: its bytes as they are to be stored (a
/// photo already reduced and upright), what it is and what it shows.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub bytes: Vec<u8>,
    pub kind: AttachmentKind,
    pub caption: String,
    pub file_name: String,
    /// Pixels of an image as stored.
    pub size_px: Option<(u32, u32)>,
    pub on: Option<NaiveDate>,
}

/// An attachment as the case file lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct AttachmentRecord {
    pub id: Uuid,
    pub case_id: Uuid,
    pub hash: String,
    pub size: u64,
    pub mime: String,
    pub kind: Stored<AttachmentKind>,
    pub caption: String,
    pub file_name: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub on: NaiveDate,
    pub unit: String,
    pub actor: Option<String>,
    /// The bytes are on this laptop (an upper tier may know of an
    /// attachment before its bytes arrive).
    pub here: bool,
    pub removed_on: Option<NaiveDate>,
    pub removed_reason: Option<String>,
}

/// The rule and projection of `attachment_added`: the case is the
/// event's unit's, the type one allowed, the day not before intake.
pub(super) fn attachment_added(
    conn: &Connection,
    ev: &Event,
    p: &body::AttachmentAdded,
) -> Result<()> {
    let head = CaseHead::load(conn, p.case_id)?;
    head.owned_by(conn, &ev.unit, "添加附件")?;
    head.not_before_intake(p.on, "on")?;
    if Content::from_mime(&p.mime).is_none() {
        return Err(LedgerError::invalid(
            "file",
            format!("附件类型“{}”不是可以添加的类型", p.mime),
        ));
    }
    conn.execute(
        "INSERT INTO attachments (id, case_id, hash, size, mime, kind, caption, file_name, width, height,
                                  on_date, unit, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            p.attachment_id.to_string(),
            p.case_id.to_string(),
            p.hash,
            p.size as i64,
            p.mime,
            p.category.key(),
            p.caption,
            p.file_name,
            p.width,
            p.height,
            p.on,
            ev.unit,
            ev.actor,
        ],
    )?;
    Ok(())
}

/// The rule and projection of `attachment_removed`: marked, not deleted.
pub(super) fn attachment_removed(
    conn: &Connection,
    ev: &Event,
    p: &body::AttachmentRemoved,
) -> Result<()> {
    let head = CaseHead::load(conn, p.case_id)?;
    head.owned_by(conn, &ev.unit, "移除附件")?;
    let changed = conn.execute(
        "UPDATE attachments SET removed_on = ?3, removed_reason = ?4
         WHERE id = ?1 AND case_id = ?2 AND removed_on IS NULL",
        params![
            p.attachment_id.to_string(),
            p.case_id.to_string(),
            p.on,
            p.reason
        ],
    )?;
    if changed == 0 {
        return Err(LedgerError::not_found(Entity::Attachment, p.attachment_id));
    }
    Ok(())
}

/// The bytes a purged case leaves behind: every content only its
/// attachments named, checked against the log (a fold again has not yet
/// put back the attachments of later events).
pub(super) fn purge_blobs(conn: &Connection, case_id: Uuid) -> Result<()> {
    let hashes: Vec<String> = conn
        .prepare("SELECT DISTINCT hash FROM attachments WHERE case_id = ?1")?
        .query_map([case_id.to_string()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for hash in hashes {
        let elsewhere: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM events WHERE kind = 'attachment_added'
                AND case_id IS NOT ?1
                AND json_extract(event_json(raw), '$.body.hash') = ?2)",
            // The log keeps case ids as 16-byte blobs.
            params![case_id, hash],
            |r| r.get(0),
        )?;
        if !elsewhere {
            conn.execute("DELETE FROM blobs WHERE hash = ?1", [&hash])?;
        }
    }
    Ok(())
}

/// What `verify` found of the attachments' bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BlobCheck {
    /// Contents stored, and their bytes.
    pub blobs: u64,
    pub bytes: u64,
    /// Attachments whose stored bytes no longer match their recorded hash:
    /// (case number, file name).
    pub damaged: Vec<(String, String)>,
}

const COLUMNS: &str = "a.id, a.case_id, a.hash, a.size, a.mime, a.kind, a.caption, a.file_name,
    a.width, a.height, a.on_date, a.unit, a.actor,
    EXISTS (SELECT 1 FROM blobs b WHERE b.hash = a.hash), a.removed_on, a.removed_reason";

fn record(r: &rusqlite::Row) -> rusqlite::Result<AttachmentRecord> {
    let uuid = |i: usize| -> rusqlite::Result<Uuid> {
        let s: String = r.get(i)?;
        Uuid::parse_str(&s).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
        })
    };
    Ok(AttachmentRecord {
        id: uuid(0)?,
        case_id: uuid(1)?,
        hash: r.get(2)?,
        size: r.get::<_, i64>(3)? as u64,
        mime: r.get(4)?,
        kind: Stored::from_key(&r.get::<_, String>(5)?),
        caption: r.get(6)?,
        file_name: r.get(7)?,
        width: r.get(8)?,
        height: r.get(9)?,
        on: r.get(10)?,
        unit: r.get(11)?,
        actor: r.get(12)?,
        here: r.get(13)?,
        removed_on: r.get(14)?,
        removed_reason: r.get(15)?,
    })
}

impl Ledger {
    /// Adds a file to a case: checked by content and size, its bytes stored
    /// once whatever case names them, the event written in the same
    /// transaction. On any error nothing is written.
    pub fn attach(&mut self, case_id: Uuid, a: NewAttachment) -> Result<AttachmentRecord> {
        let content = attachment::check(&a.file_name, &a.bytes)?;
        let caption = a.caption.trim().to_string();
        if caption.chars().count() > 200 {
            return Err(LedgerError::invalid("caption", "附件说明最多200字"));
        }
        let on = super::actions::action_date(a.on)?;
        let hash = attachment::content_hash(&a.bytes);
        let attachment_id = Uuid::now_v7();
        let file_name = a
            .file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .chars()
            .take(120)
            .collect();
        let body = EventBody::AttachmentAdded(body::AttachmentAdded {
            case_id,
            attachment_id,
            hash: hash.clone(),
            size: a.bytes.len() as u64,
            mime: content.mime().to_string(),
            category: a.kind,
            caption,
            file_name,
            width: a.size_px.map(|(w, _)| w),
            height: a.size_px.map(|(_, h)| h),
            on,
        });
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO blobs (hash, size, data) VALUES (?1, ?2, ?3) ON CONFLICT (hash) DO NOTHING",
            params![hash, a.bytes.len() as i64, a.bytes],
        )?;
        log::append(&tx, &mut self.clock, self.actor.clone(), body)?;
        tx.commit()?;
        self.attachment(attachment_id)
    }

    /// Takes an attachment out of the case file (an event; the bytes stay
    /// until the case is purged).
    pub fn remove_attachment(&mut self, attachment_id: Uuid, reason: &str) -> Result<()> {
        let a = self.attachment(attachment_id)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(LedgerError::invalid("reason", "请写明移除的原因"));
        }
        self.commit(EventBody::AttachmentRemoved(body::AttachmentRemoved {
            case_id: a.case_id,
            attachment_id,
            reason: reason.to_string(),
            on: super::actions::today(),
        }))?;
        Ok(())
    }

    /// The case's attachments, in the order they were added; removed ones
    /// included (marked).
    pub fn attachments(&self, case_id: Uuid) -> Result<Vec<AttachmentRecord>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM attachments a WHERE a.case_id = ?1 ORDER BY a.on_date, a.id"
        ))?;
        let rows = stmt.query_map([case_id.to_string()], record)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn attachment(&self, attachment_id: Uuid) -> Result<AttachmentRecord> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM attachments a WHERE a.id = ?1"),
                [attachment_id.to_string()],
                record,
            )
            .optional()?
            .ok_or_else(|| LedgerError::not_found(Entity::Attachment, attachment_id))
    }

    /// An attachment's bytes, checked against its hash: a changed byte is
    /// an error, never a wrong picture.
    pub fn attachment_content(&self, attachment_id: Uuid) -> Result<Vec<u8>> {
        self.attachment_bytes(&self.attachment(attachment_id)?)
    }

    /// The bytes of an attachment already read, checked as
    /// `attachment_content` checks them.
    pub fn attachment_bytes(&self, a: &AttachmentRecord) -> Result<Vec<u8>> {
        let data: Option<Vec<u8>> = self
            .conn
            .query_row("SELECT data FROM blobs WHERE hash = ?1", [&a.hash], |r| {
                r.get(0)
            })
            .optional()?;
        let data = data.ok_or_else(|| {
            LedgerError::State(format!("附件“{}”的文件还没有下载到本机", a.file_name))
        })?;
        if attachment::content_hash(&data) != a.hash {
            return Err(LedgerError::Damaged(format!(
                "附件“{}”的文件已损坏（内容与登记的校验值不符）",
                a.file_name
            )));
        }
        Ok(data)
    }

    /// Reads every stored content and checks it against the hash its
    /// attachments recorded: a changed byte is found and named.
    pub fn verify_attachments(&self) -> Result<BlobCheck> {
        let mut check = BlobCheck::default();
        let mut stmt = self
            .conn
            .prepare("SELECT hash, data FROM blobs ORDER BY hash")?;
        let mut rows = stmt.query([])?;
        let mut damaged = Vec::new();
        while let Some(r) = rows.next()? {
            let hash: String = r.get(0)?;
            let data: Vec<u8> = r.get(1)?;
            check.blobs += 1;
            check.bytes += data.len() as u64;
            if attachment::content_hash(&data) != hash {
                damaged.push(hash);
            }
        }
        for hash in damaged {
            let mut named = self.conn.prepare(
                "SELECT coalesce(c.number, a.case_id), a.file_name FROM attachments a
                 LEFT JOIN cases c ON c.id = a.case_id WHERE a.hash = ?1 ORDER BY a.id",
            )?;
            let found = named
                .query_map([&hash], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
            if found.is_empty() {
                check.damaged.push((String::new(), hash));
            }
            check.damaged.extend(found);
        }
        Ok(check)
    }

    /// An attachment's bytes taken out by `session` (to a file, a printer):
    /// the export right, and the access log's `export_attachment` with the
    /// case's number and the file's name. What both shells call.
    pub fn export_attachment(
        &self,
        session: Option<&super::users::Session>,
        attachment_id: Uuid,
    ) -> Result<(AttachmentRecord, Vec<u8>)> {
        let a = self.attachment(attachment_id)?;
        let number = self.case_row(a.case_id)?.number;
        self.require_logged(
            session,
            crate::domain::roles::Permission::Export,
            "export_attachment",
            &format!("{number} {}", a.file_name),
        )?;
        let bytes = self.attachment_bytes(&a)?;
        Ok((a, bytes))
    }

    /// How many distinct contents and bytes the ledger holds.
    pub fn blob_totals(&self) -> Result<(u64, u64)> {
        Ok(self.conn.query_row(
            "SELECT count(*), coalesce(sum(size), 0) FROM blobs",
            [],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
        )?)
    }
}
