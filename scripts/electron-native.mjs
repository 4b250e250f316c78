#!/usr/bin/env node
// Builds better-sqlite3 for the Electron in node_modules/electron (its ABI, its headers) into
//   .cache/native/electron-<version>/better_sqlite3.node
// which src/main/native-binding.ts hands to the core. node_modules/better-sqlite3/build is
// never touched: it keeps Node's build, which the tests and browser mode use.
//
//   node scripts/electron-native.mjs              build (again)
//   node scripts/electron-native.mjs --if-missing build only when the file is not there yet
//   node scripts/electron-native.mjs --verify <file>  only check that <file> is an Electron build
//
// Needs the internet (node-gyp downloads Electron's headers from electronjs.org), Python 3 and
// a C++20 compiler. @electron/rebuild is not used: offline it silently builds for Node instead,
// so this script checks the result: plain Node must refuse to load it for its NODE_MODULE_VERSION.
import { spawnSync } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const ifMissing = process.argv.includes('--if-missing')
const HEADERS_URL = 'https://electronjs.org/headers'

const electronPackage = join(root, 'node_modules/electron/package.json')
if (!existsSync(electronPackage)) die('node_modules/electron is missing: run npm install first.')
const electronVersion = JSON.parse(readFileSync(electronPackage, 'utf8')).version
const abiFile = join(root, 'node_modules/electron/abi_version')
const electronAbi = existsSync(abiFile) ? readFileSync(abiFile, 'utf8').trim() : null
const target = join(root, '.cache/native', `electron-${electronVersion}`, 'better_sqlite3.node')
const relativeTarget = target.slice(root.length + 1)

if (ifMissing && existsSync(target)) process.exit(0)

const verifyAt = process.argv.indexOf('--verify')
if (verifyAt !== -1) {
  const file = resolve(process.argv[verifyAt + 1] ?? die('--verify needs a file'))
  verifyNotNodeBuild(file)
  console.log(`OK: ${file} is not a Node build`)
  process.exit(0)
}

const source = join(root, 'node_modules/better-sqlite3')
if (!existsSync(join(source, 'binding.gyp'))) die('node_modules/better-sqlite3 is missing: run npm install first.')

const work = mkdtempSync(join(tmpdir(), 'guichet-native-'))
process.on('exit', () => rmSync(work, { recursive: true, force: true }))
{
  // A private copy: node-gyp rebuild starts by deleting build/, and that build/ must stay Node's.
  const copy = join(work, 'better-sqlite3')
  cpSync(source, copy, { recursive: true, filter: (path) => !path.startsWith(join(source, 'build')) })

  console.log(`Building better-sqlite3 for Electron ${electronVersion} (${process.platform}-${process.arch})…`)
  const args = [
    'rebuild',
    '--release',
    '--runtime=electron',
    `--target=${electronVersion}`,
    `--arch=${process.arch}`,
    `--dist-url=${HEADERS_URL}`,
    // Electron's headers apart from Node's (node-gyp's cache is keyed by version only).
    `--devdir=${join(homedir(), '.electron-gyp')}`,
  ]
  const gyp = nodeGyp()
  const result = spawnSync(gyp.command, [...gyp.args, ...args], { cwd: copy, encoding: 'utf8', env: process.env, maxBuffer: 64 * 1024 * 1024 })
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
  if (result.error || result.status !== 0) {
    process.stderr.write(tail(output, 40))
    if (result.error) console.error(String(result.error))
    if (isNetworkFailure(output) || isNetworkFailure(String(result.error ?? ''))) {
      die(
        `Could not download Electron ${electronVersion}'s headers from ${HEADERS_URL}: this machine has no internet access.\n` +
          `The Electron build of better-sqlite3 must be made on a machine with internet: run \`node scripts/electron-native.mjs\` ` +
          `there (npm start does it), or copy its ${relativeTarget} (same OS and architecture) here.`,
      )
    }
    die(
      `node-gyp failed to build better-sqlite3 for Electron ${electronVersion} (exit ${result.status ?? 'none'}).\n` +
        `It needs the internet (Electron's headers), Python 3 and a C++20 compiler (build-essential, Xcode tools or Visual Studio Build Tools).`,
    )
  }

  const built = join(copy, 'build/Release/better_sqlite3.node')
  if (!existsSync(built)) die(`node-gyp succeeded but ${built} is missing.`)
  verifyNotNodeBuild(built)

  mkdirSync(dirname(target), { recursive: true })
  const partial = `${target}.partial`
  copyFileSync(built, partial)
  renameSync(partial, target)
  console.log(`OK: ${relativeTarget} (NODE_MODULE_VERSION ${electronAbi ?? 'of Electron'})`)
}

/** node-gyp: the project's, then npm's own copy, then npx (which may download it). */
function nodeGyp() {
  const local = join(root, 'node_modules/.bin', process.platform === 'win32' ? 'node-gyp.cmd' : 'node-gyp')
  if (existsSync(local)) return { command: local, args: [] }
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
    join(dirname(process.execPath), 'node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ]
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return { command: process.execPath, args: [candidate] }
  return { command: process.platform === 'win32' ? 'npx.cmd' : 'npx', args: ['--yes', 'node-gyp'] }
}

/**
 * The proof that the file is Electron's and not Node's: plain Node must refuse it, naming a
 * NODE_MODULE_VERSION other than its own (and Electron's own, when node_modules/electron says it).
 */
function verifyNotNodeBuild(file) {
  const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(file)})`], { encoding: 'utf8' })
  const message = `${probe.stdout}${probe.stderr}`
  if (probe.status === 0) die(`${file} loads in Node ${process.version}: it is a Node build, not an Electron one.`)
  const compiled = /NODE_MODULE_VERSION (\d+)/.exec(message)?.[1]
  if (!compiled) die(`Node could not load ${file}, but not for its NODE_MODULE_VERSION:\n${tail(message, 10)}`)
  if (compiled === process.versions.modules) die(`${file} was built for NODE_MODULE_VERSION ${compiled}, Node's own: not an Electron build.`)
  if (electronAbi && compiled !== electronAbi) die(`${file} was built for NODE_MODULE_VERSION ${compiled}, but Electron ${electronVersion} uses ${electronAbi}.`)
}

function isNetworkFailure(text) {
  return /network connectivity|install got an error|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|socket hang up|request to .* failed|unable to get local issuer|self[- ]signed certificate|403 status code|404 status code/i.test(text)
}

function tail(text, lines) {
  return text.split('\n').slice(-lines).join('\n') + '\n'
}

function die(message) {
  console.error(`electron-native: ${message}`)
  process.exit(1)
}
