/**
 * Where the API reports each authorised request for the usage statistics (implemented by
 * `ApiUsageRecorder` of @oneroster/data-access-usage). `count` must not block or throw: it
 * runs on every request.
 */
export abstract class ApiUsageSink {
  abstract count(
    schoolIds: readonly string[],
    integratorId: string | null,
    route: string,
  ): void;
}

/** Counts nothing (apps or tests without usage statistics). */
export class NoUsage extends ApiUsageSink {
  count(): void {
    // Deliberately empty.
  }
}
