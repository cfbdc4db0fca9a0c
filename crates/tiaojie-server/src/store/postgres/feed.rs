//! Reading the PostgreSQL event log: the feed, a device's own events,
//! quarantine.

use crate::error::Result;
use crate::store::common::{cut_page, probe_rows};
use crate::store::{ChainRow, FeedPage, FeedRequest, QuarantineRow};
use std::collections::HashMap;
use tiaojie_sync::wire::DeviceHead;
use tokio_postgres::Client;
use uuid::Uuid;

/// Events another device of `units` may see: hub-wide ones and those of its units.
const VISIBLE: &str = "device_id <> $2 AND (origin_unit IS NULL OR origin_unit = ANY($3))";

pub(super) async fn feed(
    client: &deadpool_postgres::Client,
    request: &FeedRequest,
) -> Result<FeedPage> {
    let sizes = client
        .prepare_cached(&format!(
            "SELECT hub_seq, octet_length(bytes) FROM events WHERE hub_seq > $1 AND {VISIBLE}
             ORDER BY hub_seq LIMIT $4"
        ))
        .await?;
    let next = client
        .query(
            &sizes,
            &[
                &request.after,
                &request.device_id,
                &request.units,
                &probe_rows(request.limit),
            ],
        )
        .await?
        .iter()
        .map(|r| Ok((r.try_get::<_, i64>(0)?, r.try_get::<_, i32>(1)? as usize)))
        .collect::<Result<Vec<_>>>()?;
    let (taken, more) = cut_page(
        &next.iter().map(|(_, size)| *size).collect::<Vec<_>>(),
        request.limit,
        request.max_bytes,
    );
    let Some(&(cursor, _)) = taken.checked_sub(1).and_then(|i| next.get(i)) else {
        return Ok(FeedPage {
            events: Vec::new(),
            seqs: Vec::new(),
            cursor: request.after,
            more,
        });
    };
    // A second snapshot sees the same events up to `cursor`: any upload
    // numbered below it committed before the one numbered `cursor`.
    let bytes = client
        .prepare_cached(&format!(
            "SELECT hub_seq, bytes FROM events WHERE hub_seq > $1 AND hub_seq <= $4 AND {VISIBLE} ORDER BY hub_seq"
        ))
        .await?;
    let (seqs, events) = client
        .query(
            &bytes,
            &[&request.after, &request.device_id, &request.units, &cursor],
        )
        .await?
        .iter()
        .map(|r| Ok((r.try_get::<_, i64>(0)?, r.try_get::<_, Vec<u8>>(1)?)))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .unzip();
    Ok(FeedPage {
        events,
        seqs,
        cursor,
        more,
    })
}

pub(super) async fn device_events(
    client: &Client,
    device_id: Uuid,
    after_seq: i64,
    limit: u32,
) -> Result<Vec<(i64, Vec<u8>)>> {
    let rows = client
        .query(
            "SELECT seq, bytes FROM events WHERE device_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
            &[&device_id, &after_seq, &i64::from(limit)],
        )
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

pub(super) async fn quarantine(client: &Client) -> Result<Vec<QuarantineRow>> {
    let rows = client
        .query(
            "SELECT device_id, seq, event_id, reason, received_at FROM quarantine
             ORDER BY received_at, device_id, seq",
            &[],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(QuarantineRow {
                device_id: r.try_get(0)?,
                seq: r.try_get(1)?,
                event_id: r.try_get(2)?,
                reason: r.try_get(3)?,
                received_at: r.try_get(4)?,
            })
        })
        .collect()
}

pub(super) async fn heads(client: &Client) -> Result<Vec<DeviceHead>> {
    let rows = client
        .query(
            "SELECT device_id, acked_seq, last_hash FROM device_heads ORDER BY device_id",
            &[],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(DeviceHead {
                device_id: r.try_get(0)?,
                acked_seq: r.try_get(1)?,
                last_hash: r.try_get(2)?,
            })
        })
        .collect()
}

pub(super) async fn chain_rows(
    client: &Client,
    device_id: Uuid,
    after_seq: i64,
    limit: u32,
) -> Result<Vec<ChainRow>> {
    let rows = client
        .query(
            "SELECT seq, bytes, link FROM events WHERE device_id = $1 AND seq > $2
             UNION ALL
             SELECT seq, bytes, link FROM quarantine WHERE device_id = $1 AND seq > $2
             ORDER BY seq LIMIT $3",
            &[&device_id, &after_seq, &i64::from(limit)],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(ChainRow {
                seq: r.try_get(0)?,
                bytes: r.try_get(1)?,
                link: r.try_get(2)?,
            })
        })
        .collect()
}

pub(super) async fn purged_cases(client: &Client) -> Result<HashMap<Uuid, Uuid>> {
    let rows = client
        .query(
            "SELECT case_id, purged_by FROM hub_cases WHERE purged_by IS NOT NULL",
            &[],
        )
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

pub(super) async fn event_count(client: &Client) -> Result<i64> {
    Ok(client
        .query_one("SELECT count(*) FROM events", &[])
        .await?
        .try_get(0)?)
}
