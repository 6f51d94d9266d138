import { Help } from '@oclif/core/help'

import { unknownCommandError } from './usage-errors.js'

/** oclif's help, except that help for an unknown command is a usage error like any other: one line, exit 1. */
export default class CacHelp extends Help {
  public override async showHelp(argv: string[]): Promise<void> {
    const subject = argv.filter((arg) => !arg.startsWith('-')).join(':')
    if (subject !== '' && !this.config.findCommand(subject) && !this.config.findTopic(subject)) {
      const { message, help } = unknownCommandError(subject, this.config, { argumentsAfterCommand: false })
      process.stderr.write(`Error: ${message}\nSee: ${help}\n`)
      process.exitCode = 1
      return
    }
    return super.showHelp(argv)
  }
}
