import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

// ESM-only packages are bundled into the CommonJS main build so that it does not
// depend on require(esm); native and CommonJS packages stay external.
const bundledEsmDeps = ['electron-store', 'conf', '@noble/curves', '@noble/hashes', 'zod']

export default defineConfig({
  main: {
    build: {
      externalizeDeps: { exclude: bundledEsmDeps },
      rollupOptions: {
        // `headless` is the same engine for plain Node (`node out/main/headless.js`): the
        // packaging test runs the built out/ with it, as no Electron binary exists here.
        input: {
          index: resolve('src/main/index.ts'),
          headless: resolve('src/main/headless.ts'),
          // LINE's signer runs the extension's code in a process of its own (issue 11 §12).
          'line-signer-runner': resolve('src/main/networks/line/signer/runner.ts')
        }
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload cannot require() node_modules, so it is one self-contained CJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs' }
      }
    }
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react()],
    build: {
      // The page loads this on every start: minified, it parses in a fraction of the time.
      minify: true,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } }
    }
  }
})
