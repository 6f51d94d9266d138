/** GitHub Actions workflow commands (`::warning file=…,line=…::message`): the escaping they need. */
import { knownSecrets } from '../model/secret-scrubber.js'
import { printable } from './values.js'

/** A message: percent signs and line breaks escaped. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** A property value (file, title): also colons and commas. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

export type AnnotationLevel = 'notice' | 'warning' | 'error'

/** Where an annotation points and what it is called; a property that is not known is left out. */
export interface AnnotationProperties {
  file?: string | undefined
  line?: number | undefined
  col?: number | undefined
  title?: string | undefined
}

/**
 * One annotation, `::error file=…,line=…,title=…::message`, escaped. Text from outside (names,
 * platform messages) keeps its line breaks (escaped as %0A) but no other control character: those
 * are written as `\u{…}`, as everywhere else cac prints such text. Known secrets are masked before
 * escaping: once `%` is written `%25`, the output scrubber could no longer recognise a URL-encoded
 * secret a platform echoed back.
 */
export function formatAnnotation(level: AnnotationLevel, where: AnnotationProperties, message: string): string {
  const properties: string[] = []
  if (where.file !== undefined) properties.push(`file=${escapeProperty(where.file)}`)
  if (where.file !== undefined && where.line !== undefined) properties.push(`line=${where.line}`)
  if (where.file !== undefined && where.line !== undefined && where.col !== undefined) properties.push(`col=${where.col}`)
  if (where.title !== undefined) properties.push(`title=${escapeProperty(printableLines(where.title))}`)
  return `::${level}${properties.length > 0 ? ` ${properties.join(',')}` : ''}::${escapeData(printableLines(message))}`
}

function printableLines(text: string): string {
  return knownSecrets.scrub(text).replace(/\r\n?/g, '\n').split('\n').map(printable).join('\n')
}
