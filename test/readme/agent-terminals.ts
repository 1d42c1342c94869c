import {punches, staff} from '../agent/fixtures.js'
import {ZkEmulator} from '../agent/emulator/zk-emulator.js'
import type {Learned} from './console-blocks.js'

/**
 * The terminals of the README's "Agent mode" section, as the agent tests' emulator on real sockets:
 * the side gate at 127.0.0.1 (TCP and UDP, comm key 123456, 1250 punches) and the back door at
 * 127.0.0.2 (UDP only, 40 punches and one record dated 30 February). The old gate at 127.0.0.3 is
 * not there at all. A real terminal listens on port 4370; the emulators take free ports, and the
 * runner writes `--ip ADDRESS` as `--ip ADDRESS --port PORT` into the commands and the port back as
 * 4370 in what they print, as it does for the server's port 8080.
 */
export const README_DEVICE_PORT = 4370
/** The README's "now" (2026-03-16T09:00:00Z) on the terminals' Nairobi wall clock. */
const OUR_TIME = '2026-03-16 12:00:00'
/** The side gate's clock runs 1 min 32 s ahead; stopped there, so the drift reads the same on every run. */
const GATE_CLOCK = '2026-03-16 12:01:32'

export class AgentTerminals {
  private livePunches = 0

  private constructor(
    readonly gate: ZkEmulator,
    readonly backDoor: ZkEmulator,
  ) {}

  static async start(): Promise<AgentTerminals> {
    const gate = await ZkEmulator.start({serial: 'CGXJ201260077', host: '127.0.0.1', commKey: 123456, users: staff, records: punches(1250)})
    const backDoor = await ZkEmulator.start({
      serial: 'A6F5190460123',
      host: '127.0.0.2',
      tcp: false,
      users: staff,
      records: [...punches(40, staff, Date.UTC(2026, 2, 9, 5, 0, 0)), {userId: '1002', time: '2026-02-30 08:00:00'}],
    })
    return new AgentTerminals(gate, backDoor)
  }

  remap(learned: Learned): void {
    for (const terminal of [this.gate, this.backDoor]) {
      learned.pair(`--ip ${terminal.host}`, `--ip ${terminal.host} --port ${terminal.port}`)
      learned.pair(`${terminal.host}:${README_DEVICE_PORT}`, `${terminal.host}:${terminal.port}`)
    }
  }

  /** Before each command: the clocks as the README's story has them. */
  setClocks(): void {
    this.gate.setClock(GATE_CLOCK, true)
    this.backDoor.setClock(OUR_TIME, true)
  }

  /**
   * `attend pull --live` on the side gate: someone punches once the session waits, the terminal
   * restarts (down for 2 s, so the first reconnect finds nothing), and someone punches again.
   */
  async driveLive(output: string): Promise<void> {
    const waiting = count(output, 'waiting for punches')
    const stored = count(output, ' stored')
    if (waiting === 1 && this.livePunches === 0) {
      this.livePunches++
      this.gate.punch({userId: '1002', time: '2026-03-16 12:02:41', state: 0})
    } else if (stored === 1 && this.livePunches === 1) {
      this.livePunches++
      await this.gate.restart(2000)
    } else if (waiting === 2 && this.livePunches === 2) {
      this.livePunches++
      this.gate.punch({userId: '20260000123456', time: '2026-03-16 12:03:05', state: 0})
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.gate.close(), this.backDoor.close()])
  }
}

function count(text: string, what: string): number {
  return text.split(what).length - 1
}
