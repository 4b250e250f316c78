import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(fileURLToPath(import.meta.url))
const at = (path: string): string => resolve(root, path)

/**
 * The Electron build (`npm run build`, `npm start`): three bundles under out/.
 * - main: CommonJS for Electron's Node. Dependencies stay in node_modules (electron-vite's
 *   externalizeDeps default); better-sqlite3 is listed again on purpose: it is a native module
 *   and must never be bundled, whatever happens to that default.
 * - preload: CommonJS, everything bundled. A sandboxed preload runs in a small CommonJS
 *   environment whose `require` knows 'electron' and a few builtins, not node_modules.
 * - renderer: the React app from src/renderer, served to the window over app://guichet.
 */
export default defineConfig({
  main: {
    build: {
      outDir: at('out/main'),
      externalizeDeps: { include: ['better-sqlite3'] },
      rolldownOptions: {
        input: { index: at('src/main/index.ts') },
        external: ['better-sqlite3'],
        output: { format: 'cjs' },
      },
    },
  },
  preload: {
    build: {
      outDir: at('out/preload'),
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: at('src/preload/index.ts') },
        output: { format: 'cjs' },
      },
    },
    plugins: [preloadGuard()],
  },
  renderer: {
    root: at('src/renderer'),
    plugins: [react()],
    build: {
      outDir: at('out/renderer'),
      sourcemap: false,
      rolldownOptions: {
        input: { index: at('src/renderer/index.html') },
      },
    },
  },
})

/**
 * Fails the build when the preload stops being tiny: it may require nothing but 'electron'
 * (a sandboxed preload cannot load anything else), and a few kilobytes are plenty for one
 * function; more means a library (zod…) was bundled into it by an import.
 */
function preloadGuard(maxBytes = 4096): Plugin {
  return {
    name: 'guichet:preload-guard',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue
        const foreign = [...chunk.imports, ...chunk.dynamicImports].filter((id) => id !== 'electron')
        if (foreign.length > 0) this.error(`preload ${chunk.fileName} requires ${foreign.join(', ')}: a sandboxed preload can only require 'electron'`)
        const bytes = Buffer.byteLength(chunk.code)
        if (bytes > maxBytes) this.error(`preload ${chunk.fileName} is ${bytes} bytes (limit ${maxBytes}): something heavy was bundled into it`)
      }
    },
  }
}
