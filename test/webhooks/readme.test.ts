import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {generateSecret, signedHeaders, signingSecrets} from '../../src/webhooks/signing.js'
import {tempDir} from '../helpers/cli.js'

const readme = fs.readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8')

/** The fenced block of `language` whose first line contains `marker`. */
function snippet(language: string, marker: string): string {
  const blocks = [...readme.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1])
  const found = blocks.find((block) => block.split('\n')[0].includes(marker))
  if (!found) throw new Error(`README has no ${language} block starting with "${marker}"`)
  return found
}

/** A request as attend sends it: during a rotation (two signatures), and one with a tampered body. */
function requests() {
  const old = generateSecret()
  const current = generateSecret()
  const body = JSON.stringify({id: 'evt_1', type: 'user.created', created_at: '2026-03-12T14:20:00Z', data: {id: 'usr_1', name: 'Zoë'}})
  const now = Date.now()
  const headers = signedHeaders(signingSecrets({secret: current, previousSecret: old, previousSecretUntil: now + 60_000}, now), 'evt_1', Math.floor(now / 1000), body)
  return {old, current, stranger: generateSecret(), body, headers}
}

const python = spawnSync('python3', ['--version']).status === 0

describe('the README\'s verification snippets', () => {
  it('Node: accepts attend\'s signature with the old and the new secret, refuses a tampered body and another secret', () => {
    const {dir, cleanup} = tempDir()
    try {
      const r = requests()
      const file = path.join(dir, 'verify.mjs')
      fs.writeFileSync(
        file,
        `${snippet('js', 'Node: verify')}
const r = ${JSON.stringify(r)}
const outcome = (secret, body) => { try { verifyAttendWebhook(secret, r.headers, body); return 'ok' } catch (e) { return e.message } }
console.log(JSON.stringify([outcome(r.current, r.body), outcome(r.old, r.body), outcome(r.current, r.body.replace('Zoë', 'Zoe')), outcome(r.stranger, r.body)]))
`,
      )
      const run = spawnSync(process.execPath, [file], {encoding: 'utf8'})
      expect(run.stderr).toBe('')
      expect(JSON.parse(run.stdout)).toEqual(['ok', 'ok', 'bad signature', 'bad signature'])
    } finally {
      cleanup()
    }
  })

  it.skipIf(!python)('Python: the same', () => {
    const {dir, cleanup} = tempDir()
    try {
      const r = requests()
      const file = path.join(dir, 'verify.py')
      fs.writeFileSync(
        file,
        `${snippet('python', 'Python 3.9+: verify')}
r = json.loads(${JSON.stringify(JSON.stringify(r))})
def outcome(secret, body):
    try:
        verify_attend_webhook(secret, r["headers"], body.encode())
        return "ok"
    except ValueError as error:
        return str(error)
print(json.dumps([outcome(r["current"], r["body"]), outcome(r["old"], r["body"]), outcome(r["current"], r["body"].replace("Zoë", "Zoe")), outcome(r["stranger"], r["body"])]))
`,
      )
      const run = spawnSync('python3', [file], {encoding: 'utf8'})
      expect(run.stderr).toBe('')
      expect(JSON.parse(run.stdout)).toEqual(['ok', 'ok', 'bad signature', 'bad signature'])
    } finally {
      cleanup()
    }
  })
})
