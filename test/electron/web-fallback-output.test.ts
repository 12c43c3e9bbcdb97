import { test } from 'node:test'
import assert from 'node:assert/strict'
import { relayDaemonOutput } from '../../electron/web-fallback-output.ts'

test("the daemon's address line becomes a plain notice with the address alone on its line, and other lines pass through", () => {
  const shown: string[] = []
  const relay = relayDaemonOutput(line => { shown.push(line) })
  relay('2026-12-01T00:00:00.000Z WARN  something odd')
  relay('web UI: http://127.0.0.1:4242/#token=abc')
  assert.deepEqual(shown, [
    '2026-12-01T00:00:00.000Z WARN  something odd',
    '',
    'BitChat is running. Open this address in your browser:',
    '',
    '    http://127.0.0.1:4242/#token=abc',
    '',
    'Keep this terminal open while you use it; press Ctrl+C to stop BitChat.'
  ])
})
