// Prints one plain line for CI, "N passed, N failed", from the JSON reports the vitest runs
// wrote (see the test:* scripts), and fails if any run is missing or ran no test. Further
// reports named on the command line count too (.ci/run's run a year ahead).
import { existsSync, readFileSync } from 'node:fs'

const reports = ['.tmp/vitest-unit.json', '.tmp/vitest-bundle.json', '.tmp/vitest-e2e.json', ...process.argv.slice(2)]
let passed = 0
let failed = 0
let skipped = 0
for (const file of reports) {
  if (!existsSync(file)) {
    console.error(`missing test report ${file}`)
    process.exit(1)
  }
  const report = JSON.parse(readFileSync(file, 'utf8'))
  passed += report.numPassedTests
  failed += report.numFailedTests
  skipped += report.numPendingTests + report.numTodoTests
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
