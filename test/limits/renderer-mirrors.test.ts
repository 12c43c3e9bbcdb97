// The renderer cannot load the core's checks (they use Node), so it keeps copies of their limits to
// explain a problem before the core refuses; a copy that drifted would let through what the core refuses.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as mirrors from '../../renderer/src/lib/limits.ts'
import { MAX_MESSAGE_TEXT } from '../../core/api/params.ts'
import { MAX_TRACKERS } from '../../core/channel/descriptor.ts'
import { MAX_CHANNEL_URI_BYTES } from '../../core/channel/uri.ts'
import { MAX_TEXT_BYTES } from '../../core/wire/group-message.ts'

test('the renderer\'s copies of the core\'s limits are the core\'s', () => {
  assert.deepEqual(
    { text: mirrors.MAX_MESSAGE_TEXT, bytes: mirrors.MAX_MESSAGE_BYTES, trackers: mirrors.MAX_TRACKERS, link: mirrors.MAX_INVITE_LINK },
    { text: MAX_MESSAGE_TEXT, bytes: MAX_TEXT_BYTES, trackers: MAX_TRACKERS, link: MAX_CHANNEL_URI_BYTES })
})
