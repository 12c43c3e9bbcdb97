// Splits a byte stream into newline-terminated lines with a hard length limit, so a peer that
// never sends a newline costs at most the limit in memory: the rest of an overlong line is skipped.

export const MAX_LINE_BYTES = 1024 * 1024

export interface LineHandlers {
  /** A complete line, decoded as UTF-8, without its `\n` or `\r\n`; blank lines are skipped. */
  line (text: string): void
  /** Called once for each line longer than the limit; none of it is delivered. */
  overlong (): void
}

export interface LineSplitter {
  push (chunk: Uint8Array): void
  /** Delivers a final line that had no newline. */
  end (): void
}

export function createLineSplitter (handlers: LineHandlers, maxBytes = MAX_LINE_BYTES): LineSplitter {
  let parts: Buffer[] = []
  let size = 0
  let skipping = false

  const reset = (): void => {
    parts = []
    size = 0
  }

  const flush = (): void => {
    let text = Buffer.concat(parts, size).toString('utf8')
    reset()
    if (text.endsWith('\r')) text = text.slice(0, -1)
    if (text.trim() !== '') handlers.line(text)
  }

  return {
    push (chunk) {
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      let start = 0
      while (start < bytes.length) {
        const newline = bytes.indexOf(0x0a, start)
        const end = newline === -1 ? bytes.length : newline
        if (!skipping) {
          if (size + end - start > maxBytes) {
            reset()
            skipping = true
            handlers.overlong()
          } else if (end > start) {
            // A copy, so a short tail does not pin the whole chunk it arrived in.
            parts.push(Buffer.from(bytes.subarray(start, end)))
            size += end - start
          }
        }
        if (newline === -1) break
        if (skipping) skipping = false
        else flush()
        start = newline + 1
      }
    },
    end () {
      if (!skipping && size > 0) flush()
      reset()
      skipping = false
    }
  }
}
