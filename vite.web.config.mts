import react from '@vitejs/plugin-react'
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

// Browser mode: the same renderer as the Electron window, built for the loopback bridge.
export default defineConfig({
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: '/',
  plugins: [react()],
  build: { outDir: resolve(import.meta.dirname, 'dist-web'), emptyOutDir: true, sourcemap: false },
})
