// Where a channel to join comes from (channels.join): a link, a .chat file's bytes in base64, or a
// .chat file on disk, read with bounds whatever sits at that path.
import fs from 'node:fs'
import path from 'node:path'
import type { ChannelJoinParams } from '../api/contract.ts'
import { BitChatError } from '../api/errors.ts'
import { MAX_CHAT_FILE_BYTES, parseChatFile, type ChannelDescriptor } from '../channel/chat-file.ts'
import { parseChannelLink, type EpochKey } from '../channel/epoch-link.ts'

export function readDescriptor (params: ChannelJoinParams): { descriptor: ChannelDescriptor; epoch: EpochKey | null } {
  if (params.uri !== undefined) return parseChannelLink(params.uri)
  if (params.data !== undefined) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(params.data)) throw BitChatError.invalidChatFile('data is not base64')
    return { descriptor: parseChatFile(Buffer.from(params.data, 'base64')), epoch: null }
  }
  return { descriptor: parseChatFile(readChatFile(path.resolve(params.file ?? ''))), epoch: null }
}

/**
 * Reads at most one byte more than a `.chat` file may hold, from a regular file only: a FIFO or
 * device named `x.chat` must not block or flood the node (O_NONBLOCK keeps a FIFO's open from waiting).
 */
function readChatFile (file: string): Uint8Array {
  let fd: number | undefined
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0))
    if (!fs.fstatSync(fd).isFile()) throw BitChatError.invalidChatFile(`${file} is not a regular file`)
    const buffer = Buffer.alloc(MAX_CHAT_FILE_BYTES + 1)
    const length = fs.readSync(fd, buffer, 0, buffer.length, 0)
    if (length > MAX_CHAT_FILE_BYTES) throw BitChatError.invalidChatFile(`${file} is larger than ${MAX_CHAT_FILE_BYTES} bytes`)
    return buffer.subarray(0, length)
  } catch (err) {
    if (err instanceof BitChatError) throw err
    throw new BitChatError('FILE_ERROR', `cannot read ${file}: ${(err as Error).message}`)
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}

