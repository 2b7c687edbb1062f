// An upload body that says how far it got (issue 12 §2): the bytes go to `fetch` as a stream
// of chunks, and each chunk the network layer pulls is reported. "Sent" therefore means
// handed to the socket, which is as close to the wire as fetch lets us see. The caller sets
// `content-length`, so the request is not chunked (media hosts expect a plain POST).

/** 64 KiB: small enough for a smooth bar on a slow link, large enough not to matter on a fast one. */
const CHUNK_BYTES = 64 * 1024

export type UploadProgress = (sent: number, total: number) => void

/** What to spread into a `fetch` init for a body of `bytes` that reports its progress. */
export function progressBody(
  bytes: Uint8Array,
  onProgress: UploadProgress | undefined,
  chunkBytes = CHUNK_BYTES
): { body: ReadableStream<Uint8Array>; duplex: 'half'; length: number } {
  let offset = 0
  const total = bytes.length
  const report = (sent: number): void => {
    try {
      onProgress?.(sent, total)
    } catch {
      // A listener's failure must not fail the upload.
    }
  }
  report(0)
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= total) {
          controller.close()
          return
        }
        const chunk = bytes.subarray(offset, Math.min(total, offset + chunkBytes))
        offset += chunk.length
        controller.enqueue(chunk)
        report(offset)
      }
    },
    // Pull on demand only: no chunk is read ahead of what the socket takes.
    { highWaterMark: 0 }
  )
  return { body, duplex: 'half', length: total }
}
