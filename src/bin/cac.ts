#!/usr/bin/env node
import { execute } from '@oclif/core'

import { guardProcessOutput } from '../cli/output.js'

guardProcessOutput()
await execute({ dir: import.meta.url })
