// The relay streams (PROTOCOL §3.7): what their names are, what travels on them, and the credit they
// run on. A relay joins two of them byte for byte; the two ends speak Noise to each other through it.
import { MAX_MESSAGE_BYTES } from '../connection/mux-messages.ts'

/** Opened by whoever wants a circuit, to the relay; the topic is the key of the person to reach. */
export const RELAY_PROTOCOL = 'bitchat/relay/1'
/** Opened by the relay, to the person reached; the topic is the key of whoever asked. */
export const RELAYED_PROTOCOL = 'bitchat/relayed/1'
/** The one message type on both streams: `0x01 ‖ bytes` of the end-to-end byte stream. */
export const RELAY_DATA = 0x01
/** Bytes of the end-to-end stream one message carries at most. */
export const MAX_RELAY_CHUNK = MAX_MESSAGE_BYTES - 1
/**
 * The receive window of every relay stream, at the ends and at the relay: what one side may send
 * before the next hop has passed it on. Two largest messages, so a frame split in two flows without
 * waiting, and small enough that a relay holds little per circuit.
 */
export const RELAY_WINDOW = 2 * MAX_MESSAGE_BYTES
