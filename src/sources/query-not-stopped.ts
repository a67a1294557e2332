/**
 * StopQuery failed: the query goes on scanning, and billing, until it ends by itself. Apart from the
 * Insights runner so that the results panels can tell it from a cancel without loading the AWS SDK.
 */
export class QueryNotStoppedError extends Error {
  override name = 'QueryNotStoppedError';

  constructor(
    readonly queryId: string,
    readonly region: string,
    cause: unknown,
  ) {
    super(
      `could not stop query ${queryId} in ${region}: ${cause instanceof Error ? cause.message : String(cause)} (it may run up to 60 minutes). ` +
        `Stop it from the CloudWatch console, or with: aws logs stop-query --region ${region} --query-id ${queryId}`,
      { cause },
    );
  }
}
