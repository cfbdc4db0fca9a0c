//! Streams of frames: an upload or a stretch of the feed sent as many small
//! frames one after another in one HTTP body, each complete in itself (a
//! signed batch, a feed page with its cursor). Whoever reads the body keeps
//! every frame that arrived whole, so a cut connection loses only the frame
//! it was carrying, and the next attempt starts after the last one kept.
//!
//! On the wire each frame is its length (u32 LE) and its bytes.

use crate::error::{Result, SyncError};
use crate::frame::{MAX_HEADER, MAX_PAYLOAD};

/// Media type of a stream of signed batches (`POST /v1/batches/stream`).
pub const BATCH_STREAM_MEDIA_TYPE: &str = "application/x-tiaojie-batch-stream";
/// Media type of a stream of feed pages (`GET /v1/feed/stream`).
pub const FEED_STREAM_MEDIA_TYPE: &str = "application/x-tiaojie-feed-stream";

/// A frame of a stream holds events up to this many bytes before
/// compression (and at least one event). Small enough that a cut wastes
/// little (at 256 kbit/s a frame of case text is a few seconds), large
/// enough that zstd still finds the repetition in the events' JSON.
pub const FRAME_EVENT_BYTES: usize = 128 * 1024;

/// No frame of a stream is longer than this: a header, a signature and a
/// payload that did not compress at all.
pub const MAX_FRAME: usize = 8 + MAX_HEADER + 64 + MAX_PAYLOAD as usize;

/// Appends one frame to a stream body.
pub fn push_frame(body: &mut Vec<u8>, frame: &[u8]) {
    body.extend_from_slice(&(frame.len() as u32).to_le_bytes());
    body.extend_from_slice(frame);
}

/// Cuts a run of events, given their sizes, into frames of at most
/// `max_bytes` each (an event larger than that goes alone): the end index
/// of each frame.
pub fn frame_ends(sizes: &[usize], max_bytes: usize) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut size = 0;
    for (i, s) in sizes.iter().enumerate() {
        if size > 0 && size + s > max_bytes {
            ends.push(i);
            size = 0;
        }
        size += s;
    }
    if !sizes.is_empty() {
        ends.push(sizes.len());
    }
    ends
}

/// Takes a stream body as it arrives, in chunks of any size, and gives back
/// each frame once it is whole.
#[derive(Debug, Default)]
pub struct Deframer {
    buf: Vec<u8>,
    start: usize,
}

impl Deframer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds bytes as they came off the connection.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.start > 0 && self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
        }
        self.buf.extend_from_slice(chunk);
    }

    /// The next whole frame, if one has arrived; an error for a length no
    /// frame can have.
    pub fn next_frame(&mut self) -> Result<Option<Vec<u8>>> {
        let rest = &self.buf[self.start..];
        let Some(len) = rest.get(..4) else {
            return Ok(None);
        };
        let len = u32::from_le_bytes(len.try_into().expect("four bytes")) as usize;
        if len == 0 || len > MAX_FRAME {
            return Err(SyncError::Malformed(format!(
                "数据流中的一段长度不对（{len} 字节）"
            )));
        }
        let Some(frame) = rest.get(4..4 + len) else {
            return Ok(None);
        };
        let frame = frame.to_vec();
        self.start += 4 + len;
        // Keep the buffer from growing with what was already taken.
        if self.start > 1024 * 1024 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        Ok(Some(frame))
    }

    /// Bytes received that do not yet make a whole frame: what a cut loses.
    pub fn partial(&self) -> usize {
        self.buf.len() - self.start
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn events_are_cut_into_frames_by_size() {
        assert_eq!(frame_ends(&[], 10), Vec::<usize>::new());
        assert_eq!(frame_ends(&[4, 4, 4], 10), vec![2, 3]);
        assert_eq!(frame_ends(&[4, 6, 4], 10), vec![2, 3]);
        // An event larger than a frame goes alone.
        assert_eq!(frame_ends(&[3, 30, 3], 10), vec![1, 2, 3]);
    }

    #[test]
    fn a_length_no_frame_can_have_is_refused() {
        let mut d = Deframer::new();
        d.push(&0u32.to_le_bytes());
        assert!(d.next_frame().is_err());
        let mut d = Deframer::new();
        d.push(&((MAX_FRAME + 1) as u32).to_le_bytes());
        assert!(d.next_frame().is_err());
    }

    proptest! {
        /// However the body is cut into chunks, the frames come back whole
        /// and in order, and a body cut short gives back every frame before
        /// the cut and nothing of the one it fell in.
        #[test]
        fn frames_survive_any_chunking_and_any_cut(
            frames in prop::collection::vec(prop::collection::vec(any::<u8>(), 1..300), 1..12),
            chunk in 1usize..97,
            cut_at in any::<prop::sample::Index>(),
        ) {
            let mut body = Vec::new();
            let mut ends = Vec::new();
            for f in &frames {
                push_frame(&mut body, f);
                ends.push(body.len());
            }
            let cut = cut_at.index(body.len() + 1);
            let mut d = Deframer::new();
            let mut got = Vec::new();
            for piece in body[..cut].chunks(chunk) {
                d.push(piece);
                while let Some(f) = d.next_frame().unwrap() {
                    got.push(f);
                }
            }
            let whole = ends.iter().filter(|&&e| e <= cut).count();
            prop_assert_eq!(&got[..], &frames[..whole]);
            let before = if whole == 0 { 0 } else { ends[whole - 1] };
            prop_assert_eq!(d.partial(), cut - before);
        }
    }
}
