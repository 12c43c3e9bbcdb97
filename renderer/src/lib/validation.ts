import type { ChannelCreateParams } from '../../../core/api/contract.ts'
import { trackerUrlProblem } from '../../../core/channel/tracker-url.ts'
import { describeNameProblem, findNameProblem } from '../../../core/channel/name-rule.ts'
import { MAX_PASSPHRASE, MAX_TRACKERS, MAX_USER_AGENT } from './limits.ts'

export type Errors<K extends string> = Partial<Record<K, string>>

export function hasErrors (errors: Errors<string>): boolean {
  return Object.values(errors).some(e => e !== undefined)
}

/** Puts the focus in the first field (in `order`, the form's order) that has an error. */
export function focusFirstError<F extends string> (form: HTMLFormElement, order: readonly F[], errors: Errors<F>): void {
  const firstBad = order.find(f => errors[f] !== undefined)
  if (firstBad !== undefined) form.querySelector<HTMLElement>(`[name="${firstBad}"]`)?.focus()
}

/** The core's own rule (the same module), so the form says what the core would refuse, in the form's words. */
export function validateName (name: string, what = 'Name'): string | undefined {
  const problem = findNameProblem(name.trim())
  return problem === null ? undefined : describeNameProblem(problem, what)
}

export interface PassphraseInput { passphrase: string; confirm: string }

/** An empty passphrase means "none"; a non-empty one must be typed twice the same. */
export function validatePassphrase ({ passphrase, confirm }: PassphraseInput): Errors<'passphrase' | 'confirm'> {
  if (passphrase.length > MAX_PASSPHRASE) return { passphrase: `Passphrase must be at most ${MAX_PASSPHRASE} characters` }
  if (passphrase !== confirm) return { confirm: 'Passphrases do not match' }
  return {}
}

function splitLines (text: string): string[] {
  return text.split(/\r?\n/).map(l => l.trim()).filter(l => l.length > 0)
}

const PUBLIC_KEY = /^[0-9a-f]{64}$/

export interface ChannelFormInput {
  name: string
  trackers: string
  inviteOnly: boolean
  members: string
}

export type ChannelFormField = 'name' | 'trackers' | 'members'

export function validateChannelForm (input: ChannelFormInput): { errors: Errors<ChannelFormField>; params: ChannelCreateParams } {
  const errors: Errors<ChannelFormField> = {}
  const name = input.name.trim()
  errors.name = validateName(name, 'Channel name')
  const trackers = [...new Set(splitLines(input.trackers))]
  const trackerProblem = trackers.map(trackerUrlProblem).find(problem => problem !== null)
  if (trackerProblem !== undefined) errors.trackers = capitalized(trackerProblem)
  else if (trackers.length > MAX_TRACKERS) errors.trackers = `At most ${MAX_TRACKERS} trackers`
  const members = input.inviteOnly ? [...new Set(splitLines(input.members).map(m => m.toLowerCase()))] : []
  const badMember = members.find(m => !PUBLIC_KEY.test(m))
  if (badMember !== undefined) errors.members = `Not a public key (64 hex characters): ${badMember.slice(0, 80)}`
  const params: ChannelCreateParams = { name, trackers, inviteOnly: input.inviteOnly }
  if (members.length > 0) params.members = members
  return { errors, params }
}

function capitalized (text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

export interface SettingsFormInput {
  listenPort: string
  trackerUserAgent: string
  trackerPeerIdPrefix: string
}

export type SettingsFormField = keyof SettingsFormInput

export function validateSettingsForm (input: SettingsFormInput): Errors<SettingsFormField> {
  const errors: Errors<SettingsFormField> = {}
  const port = Number(input.listenPort)
  if (!/^\d{1,5}$/.test(input.listenPort.trim()) || port > 65535) errors.listenPort = 'Port must be a number from 0 to 65535 (0 picks a free one)'
  const ua = input.trackerUserAgent.trim()
  if (ua.length === 0 || ua.length > MAX_USER_AGENT) errors.trackerUserAgent = `User agent must be 1 to ${MAX_USER_AGENT} characters`
  else if (!/^[\x20-\x7e]+$/.test(ua)) errors.trackerUserAgent = 'User agent must be printable ASCII (it is sent as an HTTP header)'
  if (!/^-[A-Za-z]{2}\d{4}-$/.test(input.trackerPeerIdPrefix.trim())) errors.trackerPeerIdPrefix = 'Peer id prefix looks like -qB4650-: a dash, two letters, four digits, a dash'
  return errors
}
