// A tracker as a process of its own, for hosts of a network-namespace lab (test/helpers/netns.ts):
// `node tracker-main.ts ADDRESS` prints the HTTP announce URL and serves until stdin closes.
import { startTrackerServer } from './tracker-server.ts'

const tracker = await startTrackerServer({ host: process.argv[2], interval: 2_000 })
process.stdout.write(tracker.httpUrl + '\n')
process.stdin.resume()
process.stdin.on('end', () => { void tracker.close().then(() => process.exit(0)) })
