/** Any thrown value as one line a user can read: an Error's message (or name), else its text. No tfjs, so the page can use it. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
