import type Sodium from 'libsodium-wrappers-sumo'

let loading: Promise<typeof Sodium> | null = null

/**
 * libsodium's WebAssembly build, for Argon2id and the sealing of a key under a passphrase only:
 * it costs ~20 MiB and ~30 ms to load, so it is loaded the first time a passphrase is used, not at
 * start (everything else runs on native libsodium, core/crypto/native.ts).
 */
export async function loadSodium (): Promise<typeof Sodium> {
  loading ??= import('libsodium-wrappers-sumo').then(async ({ default: sodium }) => {
    await sodium.ready
    return sodium
  })
  return await loading
}
