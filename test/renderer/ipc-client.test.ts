import { describe, expect, it } from 'vitest'
import { ApiCallError } from '../../renderer/src/client/api-call-error.ts'
import { createIpcClient, type BitChatBridge, type IpcOutcome } from '../../renderer/src/client/ipc-client.ts'

function bridge (answer: (method: string, params: unknown) => IpcOutcome) {
  const listeners = new Set<(event: string, payload: unknown) => void>()
  const api: BitChatBridge = {
    call: async (method, params) => answer(method, params),
    onEvent: listener => {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    }
  }
  const emit = (event: string, payload: unknown): void => { for (const l of listeners) l(event, payload) }
  return { api, emit, listeners }
}

describe('IPC client', () => {
  it('passes method and params through and resolves with the result', async () => {
    const seen: unknown[] = []
    const { api } = bridge((method, params) => { seen.push([method, params]); return { ok: true, result: [] } })
    const client = createIpcClient(api)
    await expect(client.call('channels.list', {})).resolves.toEqual([])
    expect(seen).toEqual([['channels.list', {}]])
  })

  it('rejects a failed outcome with an error carrying the code', async () => {
    const { api } = bridge(() => ({ ok: false, error: { code: 'WRONG_PASSPHRASE', message: 'wrong passphrase' } }))
    const err = await createIpcClient(api).call('identity.unlock', { passphrase: 'x' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiCallError)
    expect(err).toMatchObject({ code: 'WRONG_PASSPHRASE', message: 'wrong passphrase' })
  })

  it('maps an unknown error code to INTERNAL', async () => {
    const { api } = bridge(() => ({ ok: false, error: { code: 'SOMETHING_NEW', message: 'new' } }))
    await expect(createIpcClient(api).call('channels.list', {})).rejects.toMatchObject({ code: 'INTERNAL' })
  })

  it('delivers only the subscribed event and stops after unsubscribe', () => {
    const { api, emit, listeners } = bridge(() => ({ ok: true, result: null }))
    const client = createIpcClient(api)
    const got: unknown[] = []
    const off = client.on('channel.removed', payload => { got.push(payload) })
    emit('channel.updated', { channelId: 'x' })
    emit('channel.removed', { channelId: 'y' })
    off()
    emit('channel.removed', { channelId: 'z' })
    expect(got).toEqual([{ channelId: 'y' }])
    expect(listeners.size).toBe(0)
  })

  it('passes on the shell’s request to show a channel, with a valid channel id only', () => {
    const { api, emit } = bridge(() => ({ ok: true, result: null }))
    const asked: string[] = []
    createIpcClient(api).onFocusRequest(id => { asked.push(id) })
    emit('app.focusChannel', { channelId: 'f'.repeat(64) })
    emit('app.focusChannel', { channelId: '../../etc' })
    emit('app.focusChannel', null)
    emit('channel.updated', { channelId: 'e'.repeat(64) })
    expect(asked).toEqual(['f'.repeat(64)])
  })

  it('reports itself connected at once', () => {
    const states: string[] = []
    createIpcClient(bridge(() => ({ ok: true, result: null })).api).onConnection(s => { states.push(s) })
    expect(states).toEqual(['connected'])
  })
})
