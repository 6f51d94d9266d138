import { formatInvalidProject } from '../../render/diagnostics.js'
import { renderImport, type ImportFormat } from '../../render/import-report.js'
import { importProject, type ImportLayout } from '../../workflow/import-project.js'
import type { CommandIo } from '../command-io.js'
import { planRequestFrom, type PlatformFlagValues } from '../flag-values.js'

export interface ImportFlagValues extends Omit<PlatformFlagValues, 'pause-to-update'> {
  provider?: string[] | undefined
  kind?: string[] | undefined
  out?: string | undefined
  'dry-run': boolean
  force: boolean
  format: string
  layout: string
}

/** `cac import`: live resources → definition files; returns the exit code. */
export async function runImport(flags: ImportFlagValues, io: CommandIo): Promise<number> {
  const outcome = await importProject({
    ...planRequestFrom({ ...flags, 'pause-to-update': false }, io),
    providers: flags.provider ?? [],
    kinds: flags.kind ?? [],
    ...(flags.out !== undefined ? { outDir: flags.out } : {}),
    dryRun: flags['dry-run'],
    force: flags.force,
    layout: flags.layout as ImportLayout,
  })
  if (outcome.kind === 'invalid') {
    io.stderr.write(formatInvalidProject(outcome.load, 'Nothing was imported'))
    return 1
  }
  const ending = renderImport(outcome.report, { format: flags.format as ImportFormat, dryRun: flags['dry-run'] })
  io.stdout.write(ending.stdout)
  return ending.exitCode
}
