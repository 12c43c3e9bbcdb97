// A PCP client (RFC 6887) for one gateway: the shared gateway client speaking PCP's MAP messages.
// Each mapping gets a random nonce, sent again to renew it and to delete it (the gateway lets only
// its holder do either); the client's address in each request is the socket's own toward the
// gateway, which the gateway checks against where the packet came from. A gateway that answers in
// an older version (NAT-PMP's 0) fails the request at once, so NAT-PMP is asked without a wait.
import { randomBytes } from 'node:crypto'
import { GatewayClient, GatewayError, openGatewaySocket, type GatewayClientOptions, type GatewayDialect } from './gateway-client.ts'
import { answerTo, encodeMapRequest, NONCE_BYTES, PCP_PORT, PCP_RESULT_WORDS, PCP_VERSION, type PcpMapRequest, type PcpResponse } from './pcp-codec.ts'

function pcpDialect (clientAddress: string): GatewayDialect<PcpMapRequest, PcpResponse> {
  const nonces = new Map<string, Uint8Array>()
  return {
    name: 'PCP',
    encode: encodeMapRequest,
    read: answerTo,
    mapRequest: ({ protocol, internalPort, externalPort, externalAddress, lifetimeSeconds }) => {
      const key = `${protocol}:${internalPort}`
      const nonce = nonces.get(key) ?? randomBytes(NONCE_BYTES)
      nonces.set(key, nonce)
      return { nonce, protocol, internalPort, suggestedExternalPort: externalPort, suggestedExternalAddress: externalAddress ?? '0.0.0.0', clientAddress, lifetimeSeconds }
    },
    grant: (request, answer) => {
      if (answer.kind === 'older-version') {
        return new GatewayError('older-version', answer.version === 0 ? 'the router speaks NAT-PMP, not PCP' : `the router speaks PCP version ${answer.version}, not ${PCP_VERSION}`)
      }
      if (answer.result !== 'SUCCESS') return new GatewayError(answer.result, PCP_RESULT_WORDS[answer.result])
      return { protocol: request.protocol, internalPort: request.internalPort, externalPort: answer.externalPort, lifetimeSeconds: answer.lifetimeSeconds, externalAddress: answer.externalAddress }
    }
  }
}

export class PcpClient extends GatewayClient<PcpMapRequest, PcpResponse> {
  /** A client with its own socket on an ephemeral port. */
  static async open (opts: GatewayClientOptions): Promise<PcpClient> {
    const socket = await openGatewaySocket(opts.gateway, opts.port ?? PCP_PORT)
    return new PcpClient(opts, socket, pcpDialect(socket.address().address))
  }
}
