import {AttendError} from '../../errors.js'

/**
 * Why a conversation with a terminal failed. The pull service names the device and this reason in
 * one line, so each kind carries a message an admin can act on.
 * - unreachable: nothing accepted the connection (wrong address, device off, port closed);
 * - silent: connected (or sent over UDP) but no answer came in time;
 * - unauthorized: the device wants a comm key and refused ours;
 * - refused: the device answered a command with an error code;
 * - protocol: the bytes that came back are not what the protocol says.
 */
export type ZkFailure = 'unreachable' | 'silent' | 'unauthorized' | 'refused' | 'protocol'

export class ZkError extends AttendError {
  constructor(
    readonly failure: ZkFailure,
    message: string,
    options: {cause?: unknown} = {},
  ) {
    super(message, {code: `zk_${failure}`, cause: options.cause})
    this.name = 'ZkError'
  }
}
