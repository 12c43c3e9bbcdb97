// Every scenario, in the order a full run takes them: the targets first, in the issue's
// order of links, fan-out, latency, DHT, catch-up and start-up; then the figures kept from before.
import type { Scenario } from '../harness/scenario.ts'
import { bulk } from './bulk.ts'
import { catchUpScenario } from './catch-up.ts'
import { chatUnderBulk } from './chat-under-bulk.ts'
import { dhtJoin } from './dht-join.ts'
import { fanOut } from './fan-out.ts'
import { fileTransfer } from './file-transfer.ts'
import { firstPeer } from './first-peer.ts'
import { meshLatency } from './mesh-latency.ts'
import { natConnect } from './nat-connect.ts'
import { processMeshLatency } from './process-mesh-latency.ts'
import { sharedChannels } from './shared-channels.ts'
import { smallFrames } from './small-frames.ts'
import { startUp } from './start-up.ts'
import { relay } from './relay.ts'
import { searchScenario } from './search.ts'
import { udpStream } from './udp-stream.ts'

export const SCENARIOS: Scenario[] = [
  smallFrames,
  bulk,
  fanOut,
  meshLatency,
  processMeshLatency,
  dhtJoin,
  catchUpScenario,
  startUp,
  udpStream,
  relay,
  natConnect,
  searchScenario,
  firstPeer,
  chatUnderBulk,
  sharedChannels,
  fileTransfer
]
