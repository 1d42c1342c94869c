import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

/** What a newcomer reads besides the code: the license, the architecture notes, the deployment files. */
const root = fileURLToPath(new URL('../..', import.meta.url))
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8')

function filesUnder(dir: string, extensions: string[]): string[] {
  return fs.readdirSync(path.join(root, dir), {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && extensions.some((ext) => entry.name.endsWith(ext)))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
}

const sources = [...filesUnder('src', ['.ts']), ...filesUnder('docs', ['.md']), ...filesUnder('bench', ['.js']), 'README.md']

describe('the repository explains itself', () => {
  it('has a LICENSE, the one package.json names', () => {
    const pkg = JSON.parse(read('package.json')) as {license: string}
    expect(pkg.license).toBe('MIT')
    expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} /)
  })

  it('cites only its own documents: no design notes, protocol notes or seeds from outside the repository', () => {
    const outside = /\bDESIGN\b|PROTOCOLS\.md|\bseeds?[ -]?0\d\d\b|\bseeds? \d{3}\b|\bH2's\b|§\s?\d/i
    const offenders = sources.flatMap((file) =>
      read(file)
        .split('\n')
        .map((line, i) => [`${file}:${i + 1}`, line] as const)
        .filter(([, line]) => outside.test(line))
        .map(([where, line]) => `${where}: ${line.trim()}`),
    )
    expect(offenders).toEqual([])
  })

  it('has every section of docs/architecture.md that the code cites', () => {
    const headings = new Set([...read('docs/architecture.md').matchAll(/^## (.+)$/gm)].map((m) => m[1].trim()))
    for (const required of ['The data path', 'The store', 'Families', 'Punch events']) expect(headings).toContain(required)
    const cited = new Map<string, string>()
    for (const file of sources) {
      // Comments wrap: join the lines of a comment before looking for "(docs/architecture.md, "X")".
      const text = read(file).replace(/\n\s*(\*|\/\/)\s*/g, ' ')
      for (const match of text.matchAll(/docs\/architecture\.md,?\s+"([^"]+)"/g)) cited.set(match[1], file)
    }
    expect(cited.size).toBeGreaterThan(10)
    const missing = [...cited].filter(([section]) => !headings.has(section)).map(([section, file]) => `${file} cites "${section}"`)
    expect(missing).toEqual([])
  })

  it('lays the data path out in the order a punch travels', () => {
    const text = read('docs/architecture.md')
    const section = text.slice(text.indexOf('## The data path'), text.indexOf('## The store'))
    const stages = ['source', 'format', 'canonical punch', 'pipeline', 'store', 'engine', 'report']
    expect(section).toContain(stages.join(' ──► '))
    // The files it names exist: the map matches the territory.
    for (const file of ['src/punches/types.ts', 'src/store/sqlite/ingest/pipeline.ts', 'src/formats/detect.ts', 'src/store/sqlite/attendance/recompute.ts']) {
      expect(section).toContain(file)
      expect(fs.existsSync(path.join(root, file)), file).toBe(true)
    }
  })
})

describe('deployment files', () => {
  const unit = read('deploy/systemd/attend.service')

  it('the systemd unit runs attend serve as its own user on a store that exists, and stops it gracefully', () => {
    const service = unit.slice(unit.indexOf('[Service]'), unit.indexOf('[Install]'))
    expect(service).toMatch(/^ExecStart=\/usr\/bin\/env attend serve\b/m)
    expect(service).toMatch(/^User=attend$/m)
    expect(service).toMatch(/^StateDirectory=attend$/m)
    expect(service).toMatch(/^Environment=ATTEND_DB=\/var\/lib\/attend\/attend\.db$/m)
    expect(service).toMatch(/^KillSignal=SIGTERM$/m)
    expect(service).toMatch(/^Restart=on-failure$/m)
    expect(unit).toMatch(/^WantedBy=multi-user\.target$/m)
  })

  it.skipIf(spawnSync('systemd-analyze', ['--version']).status !== 0)('the systemd unit passes systemd-analyze verify', () => {
    const result = spawnSync('systemd-analyze', ['verify', path.join(root, 'deploy/systemd/attend.service')], {encoding: 'utf8'})
    // Only this unit's own problems: the machine running the test may lack units it refers to.
    expect(result.stderr.split('\n').filter((line) => line.includes('attend.service'))).toEqual([])
  })

  it('the README shows the unit as shipped, and the log rotation rule it points to exists', () => {
    const readme = read('README.md')
    expect(readme).toContain(`\`\`\`ini\n${unit}\`\`\``)
    expect(readme).toContain('deploy/logrotate/attend')
    const rule = read('deploy/logrotate/attend')
    expect(rule).toMatch(/^\/var\/log\/attend\/\*\.log \{$/m)
    expect(rule).toMatch(/^\s+copytruncate$/m)
    expect(rule).toMatch(/^\s+rotate \d+$/m)
  })

  it('the README says how to set up a ZKTeco terminal and a CAMS gateway', () => {
    const readme = read('README.md')
    expect(readme).toContain('### Setting up a ZKTeco (or eSSL) terminal')
    expect(readme).toMatch(/Menu → COMM\. → Cloud Server Setting/)
    expect(readme).toContain('### Setting up a CAMS gateway')
    expect(readme).toMatch(/\*\*Callback URL\*\* to\s+`https:\/\/attend\.example\.org\/api\/cams\/callback`/)
    expect(readme).toContain('### Backup and restore')
  })
})
