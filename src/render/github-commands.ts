/** GitHub Actions workflow commands (`::warning file=…,line=…::message`): the escaping they need. */

/** A message: percent signs and line breaks escaped. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** A property value (file, title): also colons and commas. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}
