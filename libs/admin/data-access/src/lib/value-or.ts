/**
 * A resource's value, or the fallback while it loads or after it failed. Reading `value()`
 * of a resource in its error state throws, and projected content is evaluated even when
 * the load-state component does not show it, so lists read their items through this.
 */
export function valueOr<T, F>(
  resource: { hasValue(): boolean; value(): T | undefined },
  fallback: F,
): T | F {
  return resource.hasValue() ? (resource.value() as T) : fallback;
}
