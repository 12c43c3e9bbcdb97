import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DHT_NODES_KEPT, Store } from '../../core/store/store.ts'
import { openTempStore } from './store-fixture.ts'

const node = (i: number): { host: string; port: number } => ({ host: `10.0.${i >> 8}.${i & 255}`, port: 6881 })

test('loadDhtNodes is empty before any save', t => {
  const { store } = openTempStore(t)
  assert.deepEqual(store.loadDhtNodes(), [])
})

test('saveDhtNodes keeps the nodes in the order given', t => {
  const { store } = openTempStore(t)
  const nodes = [{ host: '10.0.0.9', port: 1 }, { host: '10.0.0.1', port: 65535 }, { host: '10.0.0.5', port: 6881 }]
  store.saveDhtNodes(nodes)
  assert.deepEqual(store.loadDhtNodes(), nodes)
})

test('saveDhtNodes replaces the previous list', t => {
  const { store } = openTempStore(t)
  store.saveDhtNodes([node(1), node(2), node(3)])
  store.saveDhtNodes([node(4)])
  assert.deepEqual(store.loadDhtNodes(), [node(4)])
  store.saveDhtNodes([])
  assert.deepEqual(store.loadDhtNodes(), [])
})

test('saveDhtNodes keeps a repeated node once, at its first place', t => {
  const { store } = openTempStore(t)
  store.saveDhtNodes([node(1), node(2), node(1), node(3)])
  assert.deepEqual(store.loadDhtNodes(), [node(1), node(2), node(3)])
})

test('saveDhtNodes keeps only the first DHT_NODES_KEPT distinct nodes', t => {
  const { store } = openTempStore(t)
  const nodes = Array.from({ length: DHT_NODES_KEPT + 50 }, (_, i) => node(i))
  store.saveDhtNodes([node(0), ...nodes])
  assert.deepEqual(store.loadDhtNodes(), nodes.slice(0, DHT_NODES_KEPT))
})

test('saveDhtNodes with an invalid port fails and keeps the old list', t => {
  const { store } = openTempStore(t)
  store.saveDhtNodes([node(1)])
  assert.throws(() => { store.saveDhtNodes([node(2), { host: '10.0.0.3', port: 0 }]) }, /port_u16/)
  assert.deepEqual(store.loadDhtNodes(), [node(1)])
})

test('saved DHT nodes survive closing and reopening the store', t => {
  const { store, path } = openTempStore(t)
  store.saveDhtNodes([node(1), node(2)])
  store.close()
  const reopened = Store.open(path)
  t.after(() => { reopened.close() })
  assert.deepEqual(reopened.loadDhtNodes(), [node(1), node(2)])
})
