import assert from 'node:assert/strict'
import { test } from 'node:test'
import { classifyNat, NatSampler, SAMPLE_TTL_MS } from '../../core/nat/nat-sampler.ts'

const local = { hosts: ['10.0.0.2', '192.168.1.5'], port: 4000 }
const at = (spec: string): { host: string; port: number } => {
  const [host, port] = spec.split(':')
  return { host: host!, port: Number(port) }
}

test('a NAT is classified from where at least three destinations saw us', () => {
  const table: Array<[string[], string]> = [
    [[], 'unknown'],
    [['1.2.3.4:4000', '1.2.3.4:4000'], 'unknown'],
    [['1.2.3.4:4000', '1.2.3.4:4000', '1.2.3.4:4000'], 'consistent'],
    [['1.2.3.4:5001', '1.2.3.4:5001', '1.2.3.4:5001'], 'consistent'],
    [['10.0.0.2:4000', '10.0.0.2:4000', '10.0.0.2:4000'], 'open'],
    [['10.0.0.2:4001', '10.0.0.2:4001', '10.0.0.2:4001'], 'consistent'],
    [['1.2.3.4:5001', '1.2.3.4:5002', '1.2.3.4:5003'], 'random'],
    [['1.2.3.4:5001', '1.2.3.4:5001', '1.2.3.4:5003'], 'consistent'],
    [['1.2.3.4:5001', '1.2.3.4:5001', '1.2.3.4:5001', '9.9.9.9:1'], 'consistent'],
    [['1.2.3.4:5001', '1.2.3.4:5001', '1.2.3.4:5001', '9.9.9.9:1', '9.9.9.9:2'], 'random'],
    [['1.2.3.4:5001', '5.6.7.8:5001', '1.2.3.9:5001'], 'random']
  ]
  for (const [observed, type] of table) assert.equal(classifyNat(observed.map(at), local), type, observed.join(' '))
})

test('the sampler keeps one sample per destination, the latest, forgets old ones, and names public addresses most recent first', () => {
  let now = 0
  const sampler = new NatSampler(() => now)
  sampler.add(at('1.2.3.4:5001'), at('8.8.8.8:6881'))
  sampler.add(at('1.2.3.4:5001'), at('8.8.8.8:6881'))
  sampler.add(at('1.2.3.4:5001'), at('8.8.4.4:6881'))
  assert.equal(sampler.type(local), 'unknown', 'two destinations, however many answers')
  sampler.add(at('1.2.3.4:5001'), at('9.9.9.9:53'))
  assert.equal(sampler.type(local), 'consistent')
  now += 1_000
  sampler.add(at('1.2.3.4:6001'), at('7.7.7.7:1'))
  sampler.add(at('1.2.3.4:6002'), at('7.7.7.8:1'))
  assert.equal(sampler.type(local), 'random')
  assert.deepEqual(sampler.addresses(), [at('1.2.3.4:6002'), at('1.2.3.4:6001'), at('1.2.3.4:5001')])
  now += SAMPLE_TTL_MS - 500
  assert.deepEqual(sampler.addresses(), [at('1.2.3.4:6002'), at('1.2.3.4:6001')], 'the first three are too old now')
  sampler.reset()
  assert.deepEqual(sampler.addresses(), [])
  assert.equal(sampler.type(local), 'unknown')
})

test('however many destinations report, the sampler holds a bounded number', () => {
  const sampler = new NatSampler(() => 0)
  for (let i = 0; i < 10_000; i++) sampler.add(at(`1.2.${i >> 8 & 255}.${i & 255}:1`), at(`5.6.${i >> 8 & 255}.${i & 255}:1`))
  assert.equal(sampler.addresses().length, 16)
})
