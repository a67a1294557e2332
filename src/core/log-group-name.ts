/** The name in a log group name or ARN (`arn:aws:logs:<region>:<account>:log-group:<name>[:*]`), as StartQuery accepts either. */
export function logGroupName(identifier: string): string {
  const arn = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/.exec(identifier);
  return arn ? arn[1]! : identifier;
}

/** The account in a log group ARN; undefined for a bare name. */
export function logGroupAccount(identifier: string): string | undefined {
  return /^arn:[^:]+:logs:[^:]*:(\d{12}):log-group:/.exec(identifier)?.[1];
}

/** The region in a log group ARN; undefined for a bare name. */
export function logGroupRegion(identifier: string): string | undefined {
  return /^arn:[^:]+:logs:([^:]+):[^:]*:log-group:/.exec(identifier)?.[1];
}
