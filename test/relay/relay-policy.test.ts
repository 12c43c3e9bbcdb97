// Which members to ask to relay us to a target: a pure function, tested as a table.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chooseRelays, RELAY_RETRY_MS, type RelayCandidate } from '../../core/relay/relay-policy.ts'

const NOW = 1_000_000
const T = 'ff'.repeat(32)
const key = (c: string): string => c.repeat(64)

function candidate (c: string, facts: Partial<RelayCandidate> = {}): RelayCandidate {
  return { keyHex: key(c), neighbour: false, sharesChannel: true, rttMs: 10, failedAt: null, ...facts }
}

const cases: Array<{ name: string; candidates: RelayCandidate[]; max?: number; expect: string[] }> = [
  { name: 'nobody connected: nobody to ask', candidates: [], expect: [] },
  { name: 'a member with no reason to know the target is not asked', candidates: [candidate('a', { sharesChannel: false })], expect: [] },
  { name: 'the target itself is never its own relay', candidates: [{ ...candidate('a'), keyHex: T }], expect: [] },
  { name: 'one whose peer list names the target goes first', candidates: [candidate('a', { rttMs: 1 }), candidate('b', { neighbour: true, sharesChannel: false, rttMs: 90 })], expect: [key('b'), key('a')] },
  { name: 'the nearest first among equals, unknown round trips last', candidates: [candidate('a', { rttMs: null }), candidate('b', { rttMs: 50 }), candidate('c', { rttMs: 5 })], max: 3, expect: [key('c'), key('b'), key('a')] },
  { name: 'at most two per attempt', candidates: [candidate('a'), candidate('b'), candidate('c')], expect: [key('a'), key('b')] },
  { name: 'one that failed for the target lately waits', candidates: [candidate('a', { failedAt: NOW - 1_000 }), candidate('b', { rttMs: 99 })], expect: [key('b')] },
  { name: 'after the wait it is asked again, after those that never failed', candidates: [candidate('a', { failedAt: NOW - RELAY_RETRY_MS, rttMs: 1 }), candidate('b', { rttMs: 99 })], expect: [key('b'), key('a')] },
  { name: 'of two that failed, the one that failed longer ago first', candidates: [candidate('a', { failedAt: NOW - RELAY_RETRY_MS }), candidate('b', { failedAt: NOW - 2 * RELAY_RETRY_MS })], expect: [key('b'), key('a')] },
  { name: 'equal in everything: by key, so every run asks the same', candidates: [candidate('b'), candidate('a')], expect: [key('a'), key('b')] }
]

for (const c of cases) {
  test(c.name, () => {
    assert.deepEqual(chooseRelays(T, c.candidates, NOW, c.max), c.expect)
  })
}
