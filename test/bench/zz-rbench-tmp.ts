import { benchRenderer } from '/work/main/test/bench/renderer.bench'
import { printTable } from '/work/main/test/bench/table'
benchRenderer()
  .then((rows) => printTable(rows))
  .catch((e) => {
    console.error(e)
    process.exit(1)
  })
