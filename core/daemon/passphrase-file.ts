// A passphrase kept in a file (so it never shows in `ps` or shell history): its first line.
import { open } from 'node:fs/promises'

const MAX_FILE_BYTES = 64 * 1024
const MAX_PASSPHRASE = 1024

export async function readPassphraseFile (file: string): Promise<string> {
  const handle = await open(file, 'r')
  let text: string
  try {
    const { size } = await handle.stat()
    if (size > MAX_FILE_BYTES) throw new Error(`passphrase file ${file} is larger than ${MAX_FILE_BYTES} bytes`)
    text = await handle.readFile('utf8')
  } finally {
    await handle.close()
  }
  const passphrase = (text.split('\n')[0] ?? '').replace(/\r$/, '')
  if (passphrase === '') throw new Error(`passphrase file ${file} has an empty first line`)
  if (passphrase.length > MAX_PASSPHRASE) throw new Error(`the passphrase in ${file} is longer than ${MAX_PASSPHRASE} characters`)
  return passphrase
}
