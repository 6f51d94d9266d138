/** Minimal ANSI styling; every renderer takes `color` explicitly so output is testable. */
export interface Style {
  red(text: string): string
  yellow(text: string): string
  green(text: string): string
  dim(text: string): string
  bold(text: string): string
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`

export function createStyle(color: boolean): Style {
  if (!color) {
    const plain = (text: string) => text
    return { red: plain, yellow: plain, green: plain, dim: plain, bold: plain }
  }
  return { red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), dim: wrap(2, 22), bold: wrap(1, 22) }
}

/** Colour when writing to a terminal, unless NO_COLOR is set or `--no-color` was given. */
export function shouldColor(options: { flag: boolean | undefined; isTTY: boolean | undefined; env: NodeJS.ProcessEnv }): boolean {
  if (options.flag !== undefined) return options.flag
  if (options.env.NO_COLOR !== undefined && options.env.NO_COLOR !== '') return false
  if (options.env.FORCE_COLOR !== undefined && options.env.FORCE_COLOR !== '0') return true
  return options.isTTY === true
}
