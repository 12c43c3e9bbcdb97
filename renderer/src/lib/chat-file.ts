import { bytesToBase64 } from './base64.ts'
import { MAX_CHAT_FILE_BYTES } from './limits.ts'

function isChatFileName (name: string): boolean {
  return /\.chat$/i.test(name)
}

/** Reads a user-picked or dropped `.chat` file into the base64 that `channels.join` takes. */
export async function readChatFile (file: File): Promise<string> {
  if (!isChatFileName(file.name)) throw new Error(`${file.name} is not a .chat file`)
  if (file.size === 0) throw new Error(`${file.name} is empty`)
  if (file.size > MAX_CHAT_FILE_BYTES) throw new Error(`${file.name} is too large to be a .chat file`)
  return bytesToBase64(new Uint8Array(await file.arrayBuffer()))
}
