/**
 * Lets the worker answer messages (a ping, a cancel, a pause) before the next piece of work: a
 * resolved promise would not, since the message queue only runs between macrotasks.
 */
export const breathe = () => new Promise((resolve) => setTimeout(resolve, 0));
