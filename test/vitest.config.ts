import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    server: {
      deps: {
        // GitHub's workflow parser imports its schema JSON without an import attribute, which Node 20
        // refuses: let vitest transform it instead of handing it to Node.
        inline: ['@actions/workflow-parser'],
      },
    },
  },
})
