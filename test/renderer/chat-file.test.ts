import { describe, expect, it } from 'vitest'
import { base64ToBytes, bytesToBase64 } from '../../renderer/src/lib/base64.ts'
import { readChatFile } from '../../renderer/src/lib/chat-file.ts'
import { MAX_CHAT_FILE_BYTES } from '../../renderer/src/lib/limits.ts'

describe('.chat file reading', () => {
  it('round-trips every byte value through base64', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes)
  })

  it('encodes files larger than one String.fromCharCode chunk', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => i % 251)
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes)
  })

  it('reads a .chat file into base64', async () => {
    const file = new File([new Uint8Array([100, 52, 58, 116, 101, 115, 116, 101])], 'team.chat')
    expect(await readChatFile(file)).toBe(btoa('d4:teste'))
  })

  it('refuses files that are not .chat files', async () => {
    await expect(readChatFile(new File(['x'], 'photo.png'))).rejects.toThrow('photo.png is not a .chat file')
  })

  it('refuses empty and oversized files before reading them', async () => {
    await expect(readChatFile(new File([], 'empty.chat'))).rejects.toThrow(/empty/)
    await expect(readChatFile(new File([new Uint8Array(MAX_CHAT_FILE_BYTES + 1)], 'big.chat'))).rejects.toThrow(/too large/)
  })
})
