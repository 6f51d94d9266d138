import { Help } from '@oclif/core'

import { didYouMean } from '../config/suggest.js'

/** oclif's help, except that help for an unknown command is a usage error like any other: one line, exit 1. */
export default class CacHelp extends Help {
  public override async showHelp(argv: string[]): Promise<void> {
    const subject = argv.filter((arg) => !arg.startsWith('-')).join(':')
    if (subject !== '' && !this.config.findCommand(subject) && !this.config.findTopic(subject)) {
      const known = this.config.commandIDs.filter((id) => !id.includes(':'))
      process.stderr.write(`Error: unknown command ${JSON.stringify(subject.replace(/:/g, ' '))}${didYouMean(subject, known)}\nSee: cac --help\n`)
      process.exitCode = 1
      return
    }
    return super.showHelp(argv)
  }
}
