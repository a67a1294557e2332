/**
 * The page tokens one listing has been given. A service that hands back a token it already returned
 * would have us read the same pages forever (or, after a cycle a, b, a, the same few), so the second
 * sight of a token ends the listing with an error naming the operation. Stopping quietly would hand the
 * responder a partial listing as if it were whole. botocore (the AWS CLI) refuses a repeated token too;
 * the JavaScript SDK's paginators, only when asked (stopOnSameToken), stop without a word.
 */
export class PageTokens {
  private readonly seen = new Set<string>();

  constructor(private readonly operation: string) {}

  /** The token of the next page, undefined when there is none; throws when the service returned it before. */
  next(token: string | undefined): string | undefined {
    if (!token) return undefined;
    if (this.seen.has(token)) throw new Error(`${this.operation} returned a page token it had already returned; stopped reading its pages.`);
    this.seen.add(token);
    return token;
  }
}
