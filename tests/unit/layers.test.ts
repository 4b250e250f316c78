import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

/** The import rule of eslint.config.mjs, tried on code that breaks it and code that keeps it. */
const eslint = new ESLint({ cwd: process.cwd() })

async function restricted(filePath: string, code: string): Promise<boolean> {
  const [result] = await eslint.lintText(code, { filePath })
  return result!.messages.some((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
}

describe('the layer rule', () => {
  it.each([
    ['src/core/services/x.ts', "import { app } from 'electron'\nexport const a = app\n"],
    ['src/core/api/x.ts', "import { useState } from 'react'\nexport const a = useState\n"],
    ['src/core/domain/x.ts', "import { readFileSync } from 'node:fs'\nexport const a = readFileSync\n"],
    ['src/core/domain/x.ts', "import { openDatabase } from '../db/connection'\nexport const a = openDatabase\n"],
    ['src/core/domain/x.ts', "import { Kysely } from 'kysely'\nexport const a = Kysely\n"],
    // A nested domain folder reaches the other layers two levels up, or more.
    ['src/core/domain/money/x.ts', "import { openDatabase } from '../../db/connection'\nexport const a = openDatabase\n"],
    ['src/core/domain/money/x.ts', "import { heldLines } from '../../services/held-lines'\nexport const a = heldLines\n"],
    ['src/core/domain/catalogue/deep/x.ts', "import { handlers } from '../../../api'\nexport const a = handlers\n"],
    ['src/core/domain/kiosk/x.ts', "import { processorFor } from '../../adapters/processors'\nexport const a = processorFor\n"],
    ['src/core/domain/outings/x.ts', "import { seedDemo } from '../../demo/seed'\nexport const a = seedDemo\n"],
    ['src/core/domain/x.ts', "import { db } from '../db'\nexport const a = db\n"],
    ['src/shared/contract/deep/x.ts', "import { createCore } from '../../../core'\nexport const a = createCore\n"],
    ['src/core/services/refunds/x.ts', "import { App } from '../../../renderer/src/App'\nexport const a = App\n"],
    ['src/renderer/src/screens/students/x.ts', "import { dispatch } from '../../../../core/dispatch'\nexport const a = dispatch\n"],
    ['src/preload/deep/x.ts', "import { createCore } from '../../core/index'\nexport const a = createCore\n"],
    ['src/shared/x.ts', "import { createHash } from 'node:crypto'\nexport const a = createHash\n"],
    ['src/renderer/src/x.ts', "import { dispatch } from '../../core/dispatch'\nexport const a = dispatch\n"],
    ['src/renderer/src/x.ts', "import { ipcRenderer } from 'electron'\nexport const a = ipcRenderer\n"],
    ['src/preload/x.ts', "import { createCore } from '../core'\nexport const a = createCore\n"],
  ])('forbids %s from importing what its layer may not', async (file, code) => {
    expect(await restricted(file, code)).toBe(true)
  })

  it.each([
    ['src/core/domain/x.ts', "import type { Grade } from '../db/schema'\nexport const a: Grade = 'JK'\n"],
    ['src/core/domain/outings/x.ts', "import type { Grade } from '../../db/schema'\nexport const a: Grade = 'JK'\n"],
    ['src/core/domain/kiosk/x.ts', "import { isActive } from '../catalogue/lifecycle'\nexport const a = isActive\n"],
    ['src/core/domain/catalogue/x.ts', "import { CATALOGUE_LIMITS } from '../../../shared/contract/catalogue-schemas'\nexport const a = CATALOGUE_LIMITS\n"],
    ['src/core/api/x.ts', "import { sql } from 'kysely'\nexport const a = sql\n"],
    ['src/main/x.ts', "import { createCore } from '../core'\nexport const a = createCore\n"],
    ['src/renderer/src/x.ts', "import { contract } from '../../shared/contract'\nexport const a = contract\n"],
  ])('allows %s what its layer may use', async (file, code) => {
    expect(await restricted(file, code)).toBe(false)
  })
})
