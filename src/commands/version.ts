import { BaseCommand } from '../cli/base-command.js'

export default class Version extends BaseCommand<typeof Version> {
  static override summary = 'Print the version of cac (as --version and -v do).'

  public async run(): Promise<void> {
    process.stdout.write(`${this.config.userAgent}\n`)
  }
}
