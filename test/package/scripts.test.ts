import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'

import {tempDir} from '../helpers/cli.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {scripts: Record<string, string>}
const tmp = tempDir()
afterAll(() => tmp.cleanup())

describe('package scripts', () => {
  it('prepare builds, so npm link (or npm install -g .) works on a fresh clone', () => {
    expect(pkg.scripts.prepare).toMatch(/^npm run build\b/)
    expect(pkg.scripts.build).toMatch(/^tsc -p tsconfig\.build\.json && /)
  })

  it('the build prints no "update available" warning, even when a newer oclif is known', () => {
    // The manifest step exactly as `npm run build` runs it, in a copy of the package (so the real
    // oclif.manifest.json is left alone), with an oclif version cache that knows of a newer oclif.
    const manifestStep = pkg.scripts.build.split(' && ').slice(1).join(' && ')
    const project = path.join(tmp.dir, 'project')
    fs.mkdirSync(project)
    fs.copyFileSync(path.join(root, 'package.json'), path.join(project, 'package.json'))
    fs.symlinkSync(path.join(root, 'dist'), path.join(project, 'dist'))
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(project, 'node_modules'))
    const cache = path.join(tmp.dir, 'cache')
    fs.mkdirSync(path.join(cache, 'oclif'), {recursive: true})
    fs.writeFileSync(path.join(cache, 'oclif', 'version'), JSON.stringify({latest: '99.0.0'}))

    const result = spawnSync('sh', ['-c', manifestStep], {
      cwd: project,
      encoding: 'utf8',
      env: {...process.env, XDG_CACHE_HOME: cache, PATH: `${path.join(root, 'node_modules', '.bin')}:${process.env.PATH}`},
    })
    expect(result.status).toBe(0)
    expect(fs.existsSync(path.join(project, 'oclif.manifest.json'))).toBe(true)
    expect(result.stderr + result.stdout).not.toMatch(/update available|Warning/i)
  })
})
