/** A path on the portal (`/…`, not `//host`), or `/`. */
export function safeReturnTo(value: string | undefined): string {
  if (
    typeof value !== 'string' ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.includes('\\') ||
    value.length > 500 ||
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f]/.test(value)
  )
    return '/';
  return value;
}
