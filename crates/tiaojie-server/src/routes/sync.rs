//! Upload of batches, the unit feed, and what a device needs to recover.

use super::bytes_error;
use crate::admin::subtree;
use crate::auth::AuthedDevice;
use crate::error::{Result, ServerError};
use crate::ingest::{Admission, classify};
use crate::state::AppState;
use crate::store::{DeviceRecord, FeedRequest};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use futures_util::StreamExt;
use serde::Deserialize;
use tiaojie_sync::frame;
use tiaojie_sync::stream::{self, Deframer, FEED_STREAM_MEDIA_TYPE};
use tiaojie_sync::wire::{BatchAck, DeviceHead, FEED_MEDIA_TYPE};
use uuid::Uuid;

/// A device may act for devices of its own unit and the units below it:
/// never for a sibling's.
async fn may_act_for(state: &AppState, me: &DeviceRecord, other: &DeviceRecord) -> Result<()> {
    if subtree(state.store.as_ref(), &me.unit)
        .await?
        .contains(&other.unit)
    {
        Ok(())
    } else {
        Err(ServerError::Forbidden("无权访问其他单位的数据".into()))
    }
}

async fn known_device(state: &AppState, id: Uuid) -> Result<DeviceRecord> {
    state
        .store
        .device(id)
        .await?
        .ok_or_else(|| ServerError::NotFound(format!("设备 {id} 未注册")))
}

pub async fn head(
    State(state): State<AppState>,
    AuthedDevice(me): AuthedDevice,
    id: std::result::Result<Path<Uuid>, PathRejection>,
) -> Result<Json<DeviceHead>> {
    let Path(id) = id.map_err(|r| path_error(&r))?;
    let other = known_device(&state, id).await?;
    may_act_for(&state, &me, &other).await?;
    Ok(Json(state.store.head(id).await?))
}

/// Stores a batch. The batch's own signature is what authenticates it: the
/// hub takes it only if the device that signed it is enrolled and not
/// revoked, and takes from it only events of that device's unit. Who carries
/// it does not matter (the device itself, a USB stick brought to another
/// machine, a neighbour's laptop), since a carrier cannot change a byte.
pub async fn upload(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<BatchAck>> {
    let body = body.map_err(|r| bytes_error(&r))?;
    store_batch(&state, &headers, &body).await
}

/// Stores a batch from a USB bundle, sealed to this hub: opened with the
/// hub's key, then taken as any batch is.
pub async fn upload_sealed(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<BatchAck>> {
    let body = body.map_err(|r| bytes_error(&r))?;
    let opened = tiaojie_sync::seal::open(&state.hub_key, &body)?;
    store_batch(&state, &headers, &opened).await
}

async fn store_batch(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    body: &[u8],
) -> Result<Json<BatchAck>> {
    // A token, if sent, must be good: a stale one is worth telling about.
    let carrier = crate::auth::bearer_device(headers, state).await?;
    let header = frame::peek_batch_header(body)?;
    let origin = known_device(state, header.device_id).await?;
    if origin.revoked_at.is_some() {
        return Err(ServerError::Forbidden("签署这批数据的设备已被停用".into()));
    }
    let batch = frame::decode_batch(body, &origin.public_key)?;
    let incoming = classify(
        &batch,
        &origin,
        Admission::under(state.identity.hub_id, &state.limits),
    );
    let mut ack = state.store.ingest(&incoming).await?;
    // The hub's signed word on the chain it now holds for this device.
    let mut checkpoint = tiaojie_sync::wire::Checkpoint {
        hub_id: state.identity.hub_id,
        device_id: ack.device_id,
        seq: ack.acked_seq,
        link: ack.last_hash.clone(),
        at: chrono::Utc::now(),
        signature: String::new(),
    };
    checkpoint.signature = hex::encode(state.hub_key.sign(&checkpoint.message()));
    ack.checkpoint = Some(checkpoint);
    tracing::info!(
        device = %origin.id,
        carrier = ?carrier.map(|c| c.id),
        acked = ack.acked_seq,
        stored = ack.stored,
        duplicates = ack.duplicates,
        quarantined = ack.quarantined.len(),
        "batch stored"
    );
    Ok(Json(ack))
}

/// Stores a stream of batches (`stream::push_frame` one after another),
/// each in its own transaction as soon as it has arrived whole. A cut
/// connection keeps every batch that arrived before it; the device learns
/// how far the hub got from its head at the next attempt. The answer, after
/// the last batch's commit, adds up the acknowledgements.
pub async fn upload_stream(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> Result<Json<BatchAck>> {
    let mut body = body.into_data_stream();
    let mut frames = Deframer::new();
    let mut total: Option<BatchAck> = None;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| ServerError::BadRequest(format!("读取请求失败：{e}")))?;
        frames.push(&chunk);
        while let Some(batch) = frames.next_frame()? {
            if batch.len() > state.limits.max_body_bytes {
                return Err(ServerError::TooLarge);
            }
            let Json(ack) = store_batch(&state, &headers, &batch).await?;
            total = Some(match total {
                None => ack,
                Some(sum) => add_acks(sum, ack)?,
            });
        }
        if frames.partial() > state.limits.max_body_bytes + 4 {
            return Err(ServerError::TooLarge);
        }
    }
    if frames.partial() > 0 {
        return Err(ServerError::BadRequest("数据流在一批数据的中间结束".into()));
    }
    total
        .map(Json)
        .ok_or_else(|| ServerError::BadRequest("数据流中没有数据".into()))
}

/// Two acknowledgements of one device's consecutive batches as one.
fn add_acks(sum: BatchAck, next: BatchAck) -> Result<BatchAck> {
    if sum.device_id != next.device_id {
        return Err(ServerError::BadRequest(
            "一个数据流只能包含同一台设备的数据".into(),
        ));
    }
    let mut quarantined = sum.quarantined;
    quarantined.extend(next.quarantined);
    Ok(BatchAck {
        device_id: next.device_id,
        acked_seq: next.acked_seq,
        last_hash: next.last_hash,
        stored: sum.stored + next.stored,
        duplicates: sum.duplicates + next.duplicates,
        quarantined,
        checkpoint: next.checkpoint,
    })
}

/// A device id in the path that does not parse, in the JSON error shape.
fn path_error(r: &PathRejection) -> ServerError {
    ServerError::BadRequest(format!("设备编号有误：{}", r.body_text()))
}

/// A query string that does not parse, in the hub's JSON error shape.
fn query_error(r: &QueryRejection) -> ServerError {
    ServerError::BadRequest(format!("查询参数有误：{}", r.body_text()))
}

#[derive(Debug, Deserialize)]
pub struct FeedQuery {
    #[serde(default)]
    after: i64,
    limit: Option<u32>,
}

/// The feed request a device's query asks for: its unit's subtree after
/// `after`, in pages of the hub's size; and the page size the query asks.
async fn feed_request(
    state: &AppState,
    me: &DeviceRecord,
    q: std::result::Result<Query<FeedQuery>, QueryRejection>,
) -> Result<(FeedRequest, Option<u32>)> {
    let Query(q) = q.map_err(|r| query_error(&r))?;
    if q.after < 0 {
        return Err(ServerError::BadRequest("after 不能为负数".into()));
    }
    let request = FeedRequest {
        units: subtree(state.store.as_ref(), &me.unit).await?,
        device_id: me.id,
        after: q.after,
        limit: state.limits.feed_page_events,
        max_bytes: state.limits.feed_page_bytes,
    };
    Ok((request, q.limit))
}

pub async fn feed(
    State(state): State<AppState>,
    AuthedDevice(me): AuthedDevice,
    q: std::result::Result<Query<FeedQuery>, QueryRejection>,
) -> Result<impl IntoResponse> {
    let (mut request, limit) = feed_request(&state, &me, q).await?;
    request.limit = limit
        .unwrap_or(state.limits.feed_page_events)
        .clamp(1, state.limits.feed_page_events);
    let page = state.store.feed(&request).await?;
    let body = frame::encode_feed(page.cursor, page.more, &page.events);
    Ok(([(header::CONTENT_TYPE, FEED_MEDIA_TYPE)], body))
}

/// Pages of the feed one stream holds at most: then the device asks again
/// (with the cursor of the last frame it kept).
const STREAM_PAGES: usize = 8;

/// The unit's feed as a stream of small frames, each a feed page of its own
/// with the cursor after its last event: a device keeps every frame that
/// arrived whole, so a cut loses only the frame in flight. The last frame
/// says whether more waits; an empty feed is one empty frame. The first
/// page is read before the answer starts, so that its errors are answers.
pub async fn feed_stream(
    State(state): State<AppState>,
    AuthedDevice(me): AuthedDevice,
    q: std::result::Result<Query<FeedQuery>, QueryRejection>,
) -> Result<impl IntoResponse> {
    // Stream pages are always the hub's size: the frames are what is small.
    let (request, _) = feed_request(&state, &me, q).await?;
    let first = state.store.feed(&request).await?;
    let pages = futures_util::stream::unfold(
        (Some(first), request, 0usize),
        move |(page, mut request, sent)| {
            let store = state.store.clone();
            async move {
                if sent == usize::MAX {
                    return None;
                }
                let page = match page {
                    Some(page) => page,
                    // Past the first page the stream ends where the store
                    // fails: the device keeps what it had and asks again.
                    None => match store.feed(&request).await {
                        Ok(page) => page,
                        Err(e) => {
                            tracing::warn!(error = %e, "feed stream stopped");
                            return Some((
                                Err(std::io::Error::other(e.to_string())),
                                (None, request, usize::MAX),
                            ));
                        }
                    },
                };
                let last = !page.more || sent + 1 >= STREAM_PAGES;
                let bytes = feed_frames(&page, request.after);
                request.after = page.cursor;
                let next = if last { usize::MAX } else { sent + 1 };
                Some((
                    Ok::<_, std::io::Error>(axum::body::Bytes::from(bytes)),
                    (None, request, next),
                ))
            }
        },
    );
    Ok((
        [(header::CONTENT_TYPE, FEED_STREAM_MEDIA_TYPE)],
        axum::body::Body::from_stream(pages),
    ))
}

/// One feed page as frames of `stream::FRAME_EVENT_BYTES` each; all but
/// the page's last say more follows.
fn feed_frames(page: &crate::store::FeedPage, after: i64) -> Vec<u8> {
    let mut out = Vec::new();
    if page.events.is_empty() {
        stream::push_frame(&mut out, &frame::encode_feed(after, page.more, &[]));
        return out;
    }
    let sizes: Vec<usize> = page.events.iter().map(Vec::len).collect();
    let ends = stream::frame_ends(&sizes, stream::FRAME_EVENT_BYTES);
    let mut start = 0;
    for (i, &end) in ends.iter().enumerate() {
        let more = i + 1 < ends.len() || page.more;
        let cursor = page.seqs[end - 1];
        stream::push_frame(
            &mut out,
            &frame::encode_feed(cursor, more, &page.events[start..end]),
        );
        start = end;
    }
    out
}

#[derive(Debug, Deserialize)]
pub struct EventsQuery {
    #[serde(default)]
    after: i64,
}

/// A device's own events as the hub has them, for a device restored from an
/// old backup to get back what it lost. Only the device itself may ask.
pub async fn device_events(
    State(state): State<AppState>,
    AuthedDevice(me): AuthedDevice,
    id: std::result::Result<Path<Uuid>, PathRejection>,
    q: std::result::Result<Query<EventsQuery>, QueryRejection>,
) -> Result<impl IntoResponse> {
    let Path(id) = id.map_err(|r| path_error(&r))?;
    let Query(q) = q.map_err(|r| query_error(&r))?;
    if me.id != id {
        return Err(ServerError::Forbidden("只能取回本机自己的数据".into()));
    }
    let limit = state.limits.feed_page_events;
    let events = state.store.device_events(id, q.after, limit + 1).await?;
    // Pages as the feed cuts them: by count and by bytes.
    let sizes: Vec<usize> = events.iter().map(|(_, b)| b.len()).collect();
    let (taken, more) = crate::store::common::cut_page(&sizes, limit, state.limits.feed_page_bytes);
    let events: Vec<(i64, Vec<u8>)> = events.into_iter().take(taken).collect();
    let cursor = events.last().map_or(q.after, |(seq, _)| *seq);
    let bytes: Vec<Vec<u8>> = events.into_iter().map(|(_, b)| b).collect();
    Ok((
        [(header::CONTENT_TYPE, FEED_MEDIA_TYPE)],
        frame::encode_feed(cursor, more, &bytes),
    ))
}
