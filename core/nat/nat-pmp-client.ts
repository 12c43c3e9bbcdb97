// A NAT-PMP client (RFC 6886) for one gateway: the shared gateway client speaking NAT-PMP's
// messages, plus the one request PCP has no need of, the gateway's address outside.
import { GatewayClient, GatewayError, openGatewaySocket, type GatewayClientOptions, type GatewayDialect } from './gateway-client.ts'
import { answerTo, encodeRequest, NAT_PMP_PORT, RESULT_WORDS, type NatPmpRequest, type NatPmpResponse } from './nat-pmp-codec.ts'

const natPmp: GatewayDialect<NatPmpRequest, NatPmpResponse> = {
  name: 'NAT-PMP',
  encode: encodeRequest,
  read: answerTo,
  // RFC 6886 §3.4 asks for suggested port 0 when deleting; miniupnpd deletes by that field (0 meaning
  // the internal port), so the port it gave is sent, which a gateway that follows the RFC ignores.
  mapRequest: ({ protocol, internalPort, externalPort, lifetimeSeconds }) => ({ op: 'map', protocol, internalPort, suggestedExternalPort: externalPort, lifetimeSeconds }),
  grant: (_, answer) => {
    if (answer.op !== 'map' || answer.result !== 'success') return failure(answer)
    return { protocol: answer.protocol, internalPort: answer.internalPort, externalPort: answer.externalPort, lifetimeSeconds: answer.lifetimeSeconds }
  }
}

export class NatPmpClient extends GatewayClient<NatPmpRequest, NatPmpResponse> {
  /** A client with its own socket on an ephemeral port. */
  static async open (opts: GatewayClientOptions): Promise<NatPmpClient> {
    return new NatPmpClient(opts, await openGatewaySocket(opts.gateway, opts.port ?? NAT_PMP_PORT), natPmp)
  }

  /** The gateway's address outside. */
  async externalAddress (): Promise<string> {
    const answer = await this.ask({ op: 'address' })
    if (answer.op !== 'address' || answer.result !== 'success') throw failure(answer)
    return answer.externalAddress
  }
}

function failure (answer: NatPmpResponse): GatewayError {
  const result = answer.result === 'success' ? 'unrecognised' : answer.result
  return new GatewayError(result, RESULT_WORDS[result])
}
