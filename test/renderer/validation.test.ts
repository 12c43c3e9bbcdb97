import { describe, expect, it } from 'vitest'
import { DEFAULT_TRACKERS } from '../../renderer/src/lib/default-trackers.ts'
import { hasErrors, validateChannelForm, validateName, validatePassphrase, validateSettingsForm } from '../../renderer/src/lib/validation.ts'

const form = { name: 'general', trackers: DEFAULT_TRACKERS.join('\n'), inviteOnly: false, members: '' }

describe('form validation', () => {
  it('requires a name and caps it at 64 characters', () => {
    expect(validateName('   ')).toBe('Name is required')
    expect(validateName('x'.repeat(65))).toMatch(/at most 64/)
    expect(validateName('  ok  ')).toBeUndefined()
  })

  it('counts characters as people do: 64 emoji are 64 characters', () => {
    expect(validateName('😀'.repeat(64), 'Display name')).toBeUndefined()
    expect(validateName('😀'.repeat(65), 'Display name')).toBe('Display name must be at most 64 characters (it has 65)')
  })

  it('refuses control characters and invisible text-direction characters in a name, in plain words', () => {
    expect(validateName('invoice\u202Efdp.exe', 'Channel name')).toBe('Channel name must not contain invisible characters, such as ones that change the direction of text')
    expect(validateName('Ada\u2067x', 'Display name')).toMatch(/invisible characters/)
    expect(validateName('two\nlines', 'Display name')).toBe('Display name must not contain control characters such as line breaks or tabs')
    expect(validateName('שלום', 'Display name')).toBeUndefined()
  })

  it('accepts no passphrase, and a passphrase only when typed twice the same', () => {
    expect(validatePassphrase({ passphrase: '', confirm: '' })).toEqual({})
    expect(validatePassphrase({ passphrase: 'secret', confirm: 'secret' })).toEqual({})
    expect(validatePassphrase({ passphrase: 'secret', confirm: 'secrte' })).toEqual({ confirm: 'Passphrases do not match' })
  })

  it('turns a valid channel form into create params with trimmed name and unique trackers', () => {
    const { errors, params } = validateChannelForm({ ...form, name: '  general ', trackers: `${DEFAULT_TRACKERS[0]}\n\n${DEFAULT_TRACKERS[0]}\n` })
    expect(hasErrors(errors)).toBe(false)
    expect(params).toEqual({ name: 'general', trackers: [DEFAULT_TRACKERS[0]], inviteOnly: false })
  })

  it('accepts a channel with no trackers, relying on the DHT', () => {
    expect(hasErrors(validateChannelForm({ ...form, trackers: '' }).errors)).toBe(false)
  })

  it('rejects a tracker that is not a udp, http(s) or ws(s) URL', () => {
    expect(validateChannelForm({ ...form, trackers: 'ftp://tracker.example/announce' }).errors.trackers).toMatch(/ftp:\/\/tracker/)
  })

  it('rejects a tracker with port 0, a malformed host or a udp tracker without a port, as the core does', () => {
    expect(validateChannelForm({ ...form, trackers: 'udp://127.0.0.1:0' }).errors.trackers).toMatch(/udp:\/\/127\.0\.0\.1:0.*port "0"/)
    expect(validateChannelForm({ ...form, trackers: 'udp://627.0.0.1:9' }).errors.trackers).toMatch(/627\.0\.0\.1.*invalid host/)
    expect(validateChannelForm({ ...form, trackers: 'udp://tracker.example' }).errors.trackers).toMatch(/no port/)
  })

  it('rejects more than 64 trackers', () => {
    const trackers = Array.from({ length: 65 }, (_, i) => `udp://t${i}.example:80`).join('\n')
    expect(validateChannelForm({ ...form, trackers }).errors.trackers).toMatch(/At most 64/)
  })

  it('checks members only for invite-only channels and lowercases them', () => {
    const key = 'AB'.repeat(32)
    expect(validateChannelForm({ ...form, members: 'junk' }).errors.members).toBeUndefined()
    expect(validateChannelForm({ ...form, inviteOnly: true, members: 'junk' }).errors.members).toMatch(/junk/)
    expect(validateChannelForm({ ...form, inviteOnly: true, members: key }).params.members).toEqual([key.toLowerCase()])
  })

  it('validates port, user agent and Azureus-style peer id prefix', () => {
    expect(validateSettingsForm({ listenPort: '0', trackerUserAgent: 'qBittorrent/4.6.5', trackerPeerIdPrefix: '-qB4650-' })).toEqual({})
    const errors = validateSettingsForm({ listenPort: '70000', trackerUserAgent: ' ', trackerPeerIdPrefix: 'qB4650' })
    expect(Object.keys(errors).sort()).toEqual(['listenPort', 'trackerPeerIdPrefix', 'trackerUserAgent'])
  })

  it('refuses a user agent that is not printable ASCII, as the core does', () => {
    const base = { listenPort: '0', trackerPeerIdPrefix: '-qB4650-' }
    expect(validateSettingsForm({ ...base, trackerUserAgent: 'Büro/1.0' }).trackerUserAgent).toMatch(/ASCII/)
    expect(validateSettingsForm({ ...base, trackerUserAgent: 'a\tb' }).trackerUserAgent).toMatch(/ASCII/)
  })
})
