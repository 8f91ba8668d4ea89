/**
 * Where the API reports each authorised request for the usage statistics (implemented by
 * `ApiUsageRecorder` of @oneroster/data-access-usage). `count` and `countRecords` must not
 * block or throw: they run on every request.
 */
export abstract class ApiUsageSink {
  abstract count(
    schoolIds: readonly string[],
    integratorId: string | null,
    route: string,
  ): void;

  /** The records a successful read of `route` answered with, once it was sent in full. */
  abstract countRecords(
    schoolIds: readonly string[],
    integratorId: string | null,
    route: string,
    records: number,
  ): void;
}

/** Counts nothing (apps or tests without usage statistics). */
export class NoUsage extends ApiUsageSink {
  count(): void {
    // Deliberately empty.
  }

  countRecords(): void {
    // Deliberately empty.
  }
}
